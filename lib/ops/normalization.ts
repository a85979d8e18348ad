/**
 * Batch normalisation over dim 1 (channels) of [N, C, ...] inputs, as
 * torch.nn.functional.batch_norm: batch statistics in training (updating the running estimates
 * in place), running estimates otherwise. The forward pass and its gradients are fused native
 * kernels (native/kernels/cpu/batch_norm.cc): a few passes over x instead of one per op.
 */
import { allocFloat32 } from '../backend/storage';
import { cpu } from '../backend/cpu';
import { needsGrad, record } from '../autograd/function';
import { isGradEnabled, noGrad } from '../autograd/grad-mode';
import { mul } from './binary';
import { add_, mul_ } from './inplace';
import { shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

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

const f32 = (t: Tensor | null | undefined): Float32Array | null => (t ? (t._data as Float32Array) : null);

export function batchNorm(x: Tensor, args: BatchNormArgs = {}): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError('batchNorm: input must be a Tensor');
  if (x.ndim < 2) throw new RangeError(`batchNorm: expected an input of at least 2 dims [N, C, ...], got ${shapeStr(x.shape)}`);
  const channels = x.shape[1];
  for (const [name, t] of [['input', x], ['runningMean', args.runningMean], ['runningVar', args.runningVar], ['weight', args.weight], ['bias', args.bias]] as const) {
    if (t && t.dtype !== 'float32') throw new TypeError(`batchNorm: expected float32 ${name}, got ${t.dtype}`);
    if (t && t !== x && (t.ndim !== 1 || t.shape[0] !== channels)) {
      throw new RangeError(`batchNorm: ${name} must have ${channels} elements (the channels of ${shapeStr(x.shape)}), got ${shapeStr(t.shape)}`);
    }
  }
  const training = args.training ?? false;
  if (!training && (!args.runningMean || !args.runningVar)) throw new Error('batchNorm: running estimates are needed outside training');
  const eps = args.eps ?? 1e-5;
  const weight = args.weight ?? null;
  const bias = args.bias ?? null;
  const out = allocFloat32(x.numel());
  let mean: Float32Array;
  let variance: Float32Array;
  if (training) {
    mean = allocFloat32(channels);
    variance = allocFloat32(channels);
    cpu.kernels.batchNormTrain(x._data as Float32Array, x.shape, f32(weight), f32(bias), eps, out, mean, variance);
    if (args.runningMean && args.runningVar) {
      updateRunning(args.runningMean, args.runningVar, new Tensor(mean, [channels]), new Tensor(variance, [channels]), x.numel() / channels, args.momentum ?? 0.1);
    }
  } else {
    // Copies: a later training step updates the running estimates in place.
    mean = (args.runningMean as Tensor)._data.slice() as Float32Array;
    variance = (args.runningVar as Tensor)._data.slice() as Float32Array;
    cpu.kernels.batchNormEval(x._data as Float32Array, x.shape, f32(weight), f32(bias), mean, variance, eps, out);
  }
  const y = new Tensor(out, x.shape);
  if (needsGrad(x, weight, bias)) {
    record(y, 'NativeBatchNormBackward0', [x, weight, bias], (g, [xs, ws]) => {
      if (isGradEnabled()) throw new Error('batchNorm has no higher-order gradient (createGraph) yet');
      const gx = x.requiresGrad ? allocFloat32(x.numel()) : null;
      const gw = weight?.requiresGrad ? allocFloat32(channels) : null;
      const gb = bias?.requiresGrad ? allocFloat32(channels) : null;
      cpu.kernels.batchNormBackward(g._data as Float32Array, xs._data as Float32Array, xs.shape, f32(ws), mean, variance, eps, training, gx, gw, gb);
      return [gx && new Tensor(gx, x.shape), gw && new Tensor(gw, [channels]), gb && new Tensor(gb, [channels])];
    }, weight ? [x, weight] : [x]);
  }
  return y;
}

/** running = (1 - f) running + f batch, with the unbiased batch variance, as PyTorch does. */
function updateRunning(runningMean: Tensor, runningVar: Tensor, batchMean: Tensor, batchVar: Tensor, count: number, f: number): void {
  noGrad(() => {
    add_(mul_(runningMean, 1 - f), mul(batchMean, f));
    add_(mul_(runningVar, 1 - f), mul(batchVar, f * (count > 1 ? count / (count - 1) : 1)));
  });
}
