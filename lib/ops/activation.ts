/** softmax and logSoftmax over a dim, with fused native backward kernels. */
import { allocFloat32 } from '../backend/storage';
import { cpu } from '../backend/cpu';
import { needsGrad, record } from '../autograd/function';
import { isGradEnabled } from '../autograd/grad-mode';
import { normalizeDim, Tensor } from '../tensor/tensor';
import { mul, sub } from './binary';
import { sum } from './reduce';
import { exp } from './unary';

type Which = 'softmax' | 'logSoftmax';

function softmaxLike(which: Which, input: Tensor, dim: number): Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`${which}: expected a Tensor, got ${typeof input}`);
  const x = input.dtype === 'float32' ? input : input.float();
  const shape = x.ndim === 0 ? [1] : x.shape;
  const d = normalizeDim(dim, x.ndim, which);
  const out = allocFloat32(x.numel());
  cpu.kernels[which](x._data as Float32Array, shape, d, out);
  const result = new Tensor(out, x.shape);
  if (needsGrad(x)) {
    const name = which === 'softmax' ? 'SoftmaxBackward0' : 'LogSoftmaxBackward0';
    record(result, name, [x], (g, [y]) => {
      if (isGradEnabled()) {
        // Recorded for higher-order gradients: the same formulas, written with ops.
        return which === 'softmax' ? [mul(y, sub(g, sum(mul(g, y), d, true)))] : [sub(g, mul(exp(y), sum(g, d, true)))];
      }
      const gx = allocFloat32(g.numel());
      const kernel = which === 'softmax' ? cpu.kernels.softmaxBackward : cpu.kernels.logSoftmaxBackward;
      kernel(g._data as Float32Array, y._data as Float32Array, shape, d, gx);
      return [new Tensor(gx, g.shape)];
    }, [result]);
  }
  return result;
}

/** exp(x) / sum(exp(x)) along dim, computed stably. */
export function softmax(x: Tensor, dim: number): Tensor {
  return softmaxLike('softmax', x, dim);
}

/** log(softmax(x)) along dim, computed stably. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  return softmaxLike('logSoftmax', x, dim);
}
