/**
 * Losses as functions, as torch.nn.functional has them. Cross entropy and NLL with class indices
 * run one fused kernel that also writes the gradient; the others are made of ops.
 */
import { allocFloat32 } from '../backend/storage';
import { LossReductionCode } from '../backend/addon-types';
import { cpu } from '../backend/cpu';
import { needsGrad, record } from '../autograd/function';
import { isGradEnabled } from '../autograd/grad-mode';
import { numel, sameShape, shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, div, mul, sub } from './binary';
import { logSoftmax } from './activation';
import { mean, sum } from './reduce';
import { abs, clamp, exp, log, log1p, neg, relu } from './unary';
import { reshape, unsqueeze } from './view';

export type Reduction = 'mean' | 'sum' | 'none';

function checkReduction(reduction: unknown, fn: string): Reduction {
  if (reduction === 'mean' || reduction === 'sum' || reduction === 'none') return reduction;
  throw new RangeError(`${fn}: ${String(reduction)} is not a valid value for reduction ('mean', 'sum' or 'none')`);
}

function reduce(x: Tensor, reduction: Reduction): Tensor {
  return reduction === 'mean' ? mean(x) : reduction === 'sum' ? sum(x) : x;
}

function checkPair(input: Tensor, target: Tensor, fn: string): void {
  if (!(input instanceof Tensor) || !(target instanceof Tensor)) throw new TypeError(`${fn}: input and target must be Tensors`);
  if (!sameShape(input.shape, target.shape)) {
    throw new RangeError(`${fn}: Using a target size (${shapeStr(target.shape)}) that is different to the input size (${shapeStr(input.shape)}). Please ensure they have the same size.`);
  }
}

/** Mean squared error. */
export function mseLoss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkPair(input, target, 'mseLoss');
  const d = sub(input, target);
  return reduce(mul(d, d), checkReduction(reduction, 'mseLoss'));
}

/** Mean absolute error. */
export function l1Loss(input: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  checkPair(input, target, 'l1Loss');
  return reduce(abs(sub(input, target)), checkReduction(reduction, 'l1Loss'));
}

export interface CrossEntropyOptions {
  /** A weight per class, [C]. */
  weight?: Tensor | null;
  /** Targets equal to this are skipped (class-index targets only); default -100. */
  ignoreIndex?: number;
  reduction?: Reduction;
  /** Mixes the target with the uniform distribution: (1 - s) target + s / C. */
  labelSmoothing?: number;
}

/** Logits [N, C, ...] (or [C]) with targets [N, ...] (or []) as class indices. */
function indexLoss(kind: 'crossEntropy' | 'nllLoss', input: Tensor, target: Tensor, o: CrossEntropyOptions): Tensor {
  const reduction = checkReduction(o.reduction ?? 'mean', kind);
  const unbatched = input.ndim === 1;
  const x = unbatched ? unsqueeze(input, 0) : input;
  const t = unbatched ? unsqueeze(target, 0) : target;
  if (x.dtype !== 'float32') throw new TypeError(`${kind}: expected float32 input, got ${x.dtype}`);
  if (x.ndim < 2 || t.ndim !== x.ndim - 1 || t.shape[0] !== x.shape[0] || t.shape.some((n, i) => i > 0 && n !== x.shape[i + 1])) {
    throw new RangeError(`${kind}: Expected target of shape ${shapeStr([x.shape[0], ...x.shape.slice(2)])} for input of shape ${shapeStr(x.shape)}, got ${shapeStr(target.shape)}`);
  }
  const weight = o.weight ?? null;
  if (weight && (weight.ndim !== 1 || weight.shape[0] !== x.shape[1])) {
    throw new RangeError(`${kind}: weight tensor should be defined either for all ${x.shape[1]} classes or no classes but got weight tensor of shape: ${shapeStr(weight.shape)}`);
  }
  const lossShape = reduction === 'none' ? t.shape : [];
  const loss = allocFloat32(numel(lossShape));
  const wantGrad = needsGrad(x);
  const grad = wantGrad ? allocFloat32(x.numel()) : null;
  const wdata = weight ? (weight._data as Float32Array) : null;
  const ignore = o.ignoreIndex ?? -100;
  if (kind === 'crossEntropy') {
    cpu.kernels.crossEntropy(x._data as Float32Array, x.shape, t._data as Int32Array, wdata, ignore, o.labelSmoothing ?? 0, LossReductionCode[reduction], loss, grad);
  } else {
    cpu.kernels.nllLoss(x._data as Float32Array, x.shape, t._data as Int32Array, wdata, ignore, LossReductionCode[reduction], loss, grad);
  }
  const out = new Tensor(loss, unbatched && reduction === 'none' ? [] : lossShape);
  if (grad) {
    const dx = new Tensor(grad, x.shape);
    record(out, kind === 'crossEntropy' ? 'CrossEntropyLossBackward0' : 'NllLossBackward0', [input], (g) => {
      if (isGradEnabled()) {
        throw new Error(`${kind} with class-index targets has no higher-order gradient; use logSoftmax and gather for createGraph`);
      }
      // The kernel's gradient for a unit upstream gradient, scaled per sample (none) or by one number.
      const scale = reduction === 'none' ? unsqueeze(reshape(g, t.shape), 1) : g;
      return [reshape(mul(dx, scale), input.shape)];
    });
  }
  return out;
}

/**
 * torch.nn.functional.cross_entropy: logits [N, C] (or [N, C, d1, ...], or [C]) against class
 * indices (int32 [N, ...]) or class probabilities (float32, input's shape).
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  if (!(input instanceof Tensor) || !(target instanceof Tensor)) throw new TypeError('crossEntropy: input and target must be Tensors');
  if (target.dtype === 'int32') return indexLoss('crossEntropy', input, target, options);
  if (target.dtype !== 'float32') throw new TypeError(`crossEntropy: expected int32 class indices or float32 probabilities as target, got ${target.dtype}`);
  return probabilityCrossEntropy(input, target, options);
}

/** Cross entropy against class probabilities, made of ops. */
function probabilityCrossEntropy(input: Tensor, target: Tensor, o: CrossEntropyOptions): Tensor {
  checkPair(input, target, 'crossEntropy');
  const reduction = checkReduction(o.reduction ?? 'mean', 'crossEntropy');
  const classDim = input.ndim === 1 ? 0 : 1;
  const classes = input.shape[classDim];
  const s = o.labelSmoothing ?? 0;
  const smoothed = s > 0 ? add(mul(target, 1 - s), s / classes) : target;
  let terms = mul(logSoftmax(input, classDim), smoothed);
  if (o.weight) {
    const wShape = input.shape.map((n, d) => (d === classDim ? n : 1));
    terms = mul(terms, reshape(o.weight, wShape));
  }
  const perSample = neg(sum(terms, classDim));
  if (reduction === 'none') return perSample;
  if (reduction === 'sum') return sum(perSample);
  return div(sum(perSample), input.ndim === 1 ? 1 : numel(perSample.shape));
}

/** torch.nn.functional.nll_loss: log-probabilities [N, C, ...] against class indices. */
export function nllLoss(input: Tensor, target: Tensor, options: Omit<CrossEntropyOptions, 'labelSmoothing'> = {}): Tensor {
  if (!(input instanceof Tensor) || !(target instanceof Tensor) || target.dtype !== 'int32') {
    throw new TypeError('nllLoss: expected a Tensor input and an int32 Tensor of class indices as target');
  }
  return indexLoss('nllLoss', input, target, options);
}

export interface BceOptions {
  /** Rescales each element's loss (broadcast against the input). */
  weight?: Tensor | null;
  reduction?: Reduction;
}

/** Binary cross entropy of probabilities, logs clamped at -100 as PyTorch does. */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BceOptions = {}): Tensor {
  checkPair(input, target, 'binaryCrossEntropy');
  const logP = clamp(log(input), -100);
  const log1mP = clamp(log(sub(1, input)), -100);
  let l = neg(add(mul(target, logP), mul(sub(1, target), log1mP)));
  if (options.weight) l = mul(l, options.weight);
  return reduce(l, checkReduction(options.reduction ?? 'mean', 'binaryCrossEntropy'));
}

export interface BceWithLogitsOptions extends BceOptions {
  /** The weight of positive examples, per class (broadcast against the last dim). */
  posWeight?: Tensor | null;
}

/** sigmoid + binary cross entropy in one numerically stable expression. */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  checkPair(input, target, 'binaryCrossEntropyWithLogits');
  // log(1 + exp(-|x|)) + max(-x, 0) is log(1 + exp(-x)) without overflow.
  const softTerm = add(log1p(exp(neg(abs(input)))), relu(neg(input)));
  const posScale = options.posWeight ? add(mul(sub(options.posWeight, 1), target), 1) : null;
  let l = add(mul(sub(1, target), input), posScale ? mul(posScale, softTerm) : softTerm);
  if (options.weight) l = mul(l, options.weight);
  return reduce(l, checkReduction(options.reduction ?? 'mean', 'binaryCrossEntropyWithLogits'));
}
