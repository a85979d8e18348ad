import { needsGrad, record } from '../autograd/function';
import { Tensor } from '../tensor/tensor';

/** A copy with its own storage; gradients flow through it unchanged. */
export function clone(x: Tensor): Tensor {
  const out = new Tensor(x._data.slice(), x.shape, x.dtype);
  if (needsGrad(x)) record(out, 'CloneBackward0', [x], (g) => [g]);
  return out;
}
