import { BinaryOpCode } from './addon-types';
import type { Backend } from './backend';
import { native } from './load';

export const cpuBackend: Backend = {
  device: 'cpu',
  binary: (op, a, aShape, b, bShape, out, outShape) =>
    native.binary(BinaryOpCode[op], a, aShape, b, bShape, out, outShape),
  matmul: (a, aShape, transA, b, bShape, transB, out, outShape) =>
    native.matmul(a, aShape, transA, b, bShape, transB, out, outShape),
  randomUniform: (out, k, low, high) => native.randomUniform(out, k.keyLo, k.keyHi, k.counter, low, high),
  randomNormal: (out, k, mean, std) => native.randomNormal(out, k.keyLo, k.keyHi, k.counter, mean, std),
  randomInt: (out, k, low, high) => native.randomInt(out, k.keyLo, k.keyHi, k.counter, low, high),
  randomBernoulli: (out, k, p) => native.randomBernoulli(out, k.keyLo, k.keyHi, k.counter, p),
};
