/** What an op calls to take part in autograd: whether to record, and the recording itself. */
import { Tensor } from '../tensor/tensor';
import { isGradEnabled } from './grad-mode';
import { Node, type BackwardFn } from './node';

/** True when grad mode is on and some input is a tensor that requires grad. */
export function needsGrad(...inputs: readonly unknown[]): boolean {
  if (!isGradEnabled()) return false;
  for (const t of inputs) if (t instanceof Tensor && t.requiresGrad) return true;
  return false;
}

/**
 * Marks `out` as made by the op `name` from `inputs`: backward(grad, saved) returns one gradient
 * per input (null for inputs that need none). Tensors the backward reads must be passed in
 * `saved`, not captured, so that in-place changes to them are caught and they can be freed.
 */
export function record(out: Tensor, name: string, inputs: readonly (Tensor | null)[], backward: BackwardFn, saved: readonly Tensor[] = []): Tensor {
  out.gradFn = new Node(name, inputs, backward, saved);
  out.requiresGrad = true;
  return out;
}
