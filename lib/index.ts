/** tensorgrad: deep learning for Node.js. The public face of the package: re-exports only. */
import './ops/methods';
import './autograd/methods';

export type { Backend, Device } from './backend/backend';
export { info, type Info } from './backend/info';
export { getNumThreads, setNumThreads } from './backend/threads';
export type { DType } from './tensor/dtype';
export type { Shape } from './tensor/shape';
export { Tensor, type NestedArray, type NestedInput } from './tensor/tensor';
export {
  tensor,
  zeros,
  ones,
  full,
  zerosLike,
  onesLike,
  fullLike,
  arange,
  linspace,
  type CreateOptions,
} from './tensor/create';
export {
  Generator,
  defaultGenerator,
  manualSeed,
  initialSeed,
  rand,
  randn,
  randint,
  type GeneratorState,
  type RandomOptions,
} from './tensor/random';

export { noGrad, enableGrad, setGradEnabled, isGradEnabled } from './autograd/grad-mode';
export { grad, type BackwardOptions, type GradOptions } from './autograd/engine';

export { add, sub, mul, div, type TensorLike } from './ops/binary';
export {
  neg,
  exp,
  log,
  log1p,
  expm1,
  sqrt,
  rsqrt,
  abs,
  sign,
  square,
  reciprocal,
  erf,
  pow,
  clamp,
  relu,
  leakyRelu,
  elu,
  sigmoid,
  tanh,
  gelu,
  silu,
  softplus,
} from './ops/unary';
export { softmax, logSoftmax } from './ops/activation';
export {
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  isfinite,
  isnan,
  logicalNot,
  logicalAnd,
  logicalOr,
  logicalXor,
  where,
  maximum,
  minimum,
  isclose,
  allclose,
} from './ops/compare';
export { matmul, mm, outer, linear } from './ops/matmul';
export {
  sum,
  mean,
  max,
  min,
  amax,
  argmax,
  argmin,
  variance as var,
  std,
  logsumexp,
  norm,
  type Dims,
  type ValuesIndices,
  type VarianceOptions,
} from './ops/reduce';
export { clone } from './ops/clone';
export { reshape, view, flatten, unflatten, squeeze, unsqueeze } from './ops/view';
export { permute, transpose, t, expand, broadcastTo } from './ops/permute';
export { cat, stack, split, chunk, narrow, slice, select, pad } from './ops/join';
export { indexSelect, gather, scatterAdd, oneHot } from './ops/indexing';
export {
  mseLoss,
  l1Loss,
  crossEntropy,
  nllLoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  type Reduction,
  type CrossEntropyOptions,
  type BceOptions,
  type BceWithLogitsOptions,
} from './ops/loss';
export { dropout, dropout2d, bernoulli, multinomial, randperm } from './ops/random';
export { batchNorm, type BatchNormArgs } from './ops/normalization';
export { conv1d, conv2d, type Conv1dOptions, type Conv2dOptions, type Pair } from './ops/conv';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './ops/pool';

export { save, load } from './io';

export * as nn from './nn';
export * as train from './train';
export * as data from './data';
export * as datasets from './data/datasets';
export * as transforms from './data/transforms';
export * as optim from './optim';
export * as io from './io';
export * as viz from './viz';
