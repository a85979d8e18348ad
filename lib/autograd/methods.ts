/** The autograd methods of Tensor, added to its prototype (the tensor module imports no engine). */
import { Tensor } from '../tensor/tensor';
import { backward, type BackwardOptions } from './engine';

declare module '../tensor/tensor' {
  interface Tensor {
    /**
     * Computes the gradient of this tensor with respect to the graph's leaves and accumulates it
     * into their .grad. `gradient` is required unless this tensor holds one element.
     */
    backward(gradient?: Tensor | null, options?: BackwardOptions): void;
    /** Keeps this non-leaf tensor's gradient in .grad after backward(). */
    retainGrad(): Tensor;
    /** Sets requiresGrad in place (leaves only) and returns this tensor. */
    requiresGrad_(requiresGrad?: boolean): Tensor;
    /** A tensor sharing this one's storage, outside the graph. */
    detach(): Tensor;
  }
}

const methods = {
  backward(this: Tensor, gradient?: Tensor | null, options?: BackwardOptions): void {
    backward([this], [gradient], options);
  },
  retainGrad(this: Tensor): Tensor {
    if (!this.requiresGrad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    if (this.gradFn) this.gradFn.retainedBy = this;
    return this;
  },
  requiresGrad_(this: Tensor, requiresGrad = true): Tensor {
    this.requiresGrad = requiresGrad;
    return this;
  },
  detach(this: Tensor): Tensor {
    return new Tensor(this._data, this.shape, this.dtype, this._storage);
  },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
