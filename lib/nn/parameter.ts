import { inspect } from 'node:util';
import { Tensor } from '../tensor/tensor';

/**
 * A tensor that is a module's parameter: a leaf that requires grad by default, found by
 * Module.parameters() when assigned to a module's property (as torch.nn.Parameter).
 */
export class Parameter extends Tensor {
  /** Wraps `data` without copying: the parameter shares its storage. */
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) throw new TypeError(`Parameter: expected a Tensor, got ${typeof data}`);
    super(data._data, data.shape, data.dtype, data._storage);
    this.requiresGrad = requiresGrad;
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }

  override [inspect.custom](): string {
    return this.toString();
  }
}
