/**
 * Batch normalisation over dim 1 (channels) of [N, C, ...] inputs, as
 * torch.nn.functional.batch_norm: batch statistics in training (updating the running estimates
 * in place), running estimates otherwise. Written with ops, so autograd differentiates it.
 */
import { noGrad } from '../autograd/grad-mode';
import { add, div, mul, sub } from './binary';
import { add_, mul_ } from './inplace';
import { mean, variance } from './reduce';
import { sqrt } from './unary';
import { reshape } from './view';
import { shapeStr } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

export interface BatchNormArgs {
  runningMean?: Tensor | null;
  runningVar?: Tensor | null;
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Use (and update) batch statistics (default false: use the running estimates). */
  training?: boolean;
  /** Weight of the batch in the running estimates (default 0.1). */
  momentum?: number;
  eps?: number;
}

export function batchNorm(x: Tensor, args: BatchNormArgs = {}): Tensor {
  if (x.ndim < 2) throw new RangeError(`batchNorm: expected an input of at least 2 dims [N, C, ...], got ${shapeStr(x.shape)}`);
  const channels = x.shape[1];
  for (const [name, t] of [['runningMean', args.runningMean], ['runningVar', args.runningVar], ['weight', args.weight], ['bias', args.bias]] as const) {
    if (t && (t.ndim !== 1 || t.shape[0] !== channels)) {
      throw new RangeError(`batchNorm: ${name} must have ${channels} elements (the channels of ${shapeStr(x.shape)}), got ${shapeStr(t.shape)}`);
    }
  }
  const training = args.training ?? false;
  if (!training && (!args.runningMean || !args.runningVar)) throw new Error('batchNorm: running estimates are needed outside training');
  const eps = args.eps ?? 1e-5;
  const dims = [...x.shape.keys()].filter((d) => d !== 1);
  const bshape = x.shape.map((n, d) => (d === 1 ? n : 1));
  let m: Tensor;
  let v: Tensor;
  if (training) {
    m = mean(x, dims, true);
    v = variance(x, dims, { correction: 0, keepdim: true });
    if (args.runningMean && args.runningVar) updateRunning(args.runningMean, args.runningVar, m, v, x.numel() / channels, args.momentum ?? 0.1);
  } else {
    m = reshape(args.runningMean as Tensor, bshape);
    v = reshape(args.runningVar as Tensor, bshape);
  }
  let y = div(sub(x, m), sqrt(add(v, eps)));
  if (args.weight) y = mul(y, reshape(args.weight, bshape));
  if (args.bias) y = add(y, reshape(args.bias, bshape));
  return y;
}

/** running = (1 - f) running + f batch, with the unbiased batch variance, as PyTorch does. */
function updateRunning(runningMean: Tensor, runningVar: Tensor, batchMean: Tensor, batchVar: Tensor, count: number, f: number): void {
  noGrad(() => {
    const c = runningMean.shape[0];
    add_(mul_(runningMean, 1 - f), mul(reshape(batchMean, [c]), f));
    add_(mul_(runningVar, 1 - f), mul(reshape(batchVar, [c]), f * (count > 1 ? count / (count - 1) : 1)));
  });
}
