/** tensorgrad: deep learning for Node.js. The public face of the package: re-exports only. */
import './ops/methods';

export type { Backend, Device } from './backend/backend';
export { info, type Info } from './backend/info';
export { getNumThreads, setNumThreads } from './backend/threads';
export type { DType } from './tensor/dtype';
export type { Shape } from './tensor/shape';
export { Tensor, type NestedArray } from './tensor/tensor';
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
export { add, sub, mul, div, maximum, minimum, type TensorLike } from './ops/binary';
export { matmul } from './ops/matmul';
