import { BinaryOpCode, type BinaryOpName } from '../backend/addon-types';
import { cpu } from '../backend/cpu';
import { allocOutput } from '../backend/storage';
import { allocate, promoteTypes, type DType } from '../tensor/dtype';
import { broadcastShapes, numel, sameShape } from '../tensor/shape';
import { needsGrad, record } from '../autograd/function';
import { Tensor } from '../tensor/tensor';
import { sumTo } from './reduce';

/** A tensor, or a number that acts as a 0-d tensor. */
export type TensorLike = Tensor | number;

/** A 0-d tensor holding value. */
export function scalarTensor(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

/**
 * The dtype of op(a, b): float32 if either side is float32 or a non-integer number, and always
 * float32 for division, as torch.div does.
 */
function resultType(op: BinaryOpName, a: TensorLike, b: TensorLike): DType {
  const typeOf = (x: TensorLike): DType =>
    x instanceof Tensor ? x.dtype : typeof x === 'boolean' ? 'bool' : Number.isInteger(x) ? 'int32' : 'float32';
  const t = promoteTypes(typeOf(a), typeOf(b));
  return op === 'div' ? 'float32' : t;
}

function asTensor(x: TensorLike, dtype: DType, fn: string, side: string): Tensor {
  if (x instanceof Tensor) return x.to(dtype);
  if (typeof x !== 'number') throw new TypeError(`${fn}: ${side} must be a Tensor or a number, got ${typeof x}`);
  return scalarTensor(x, dtype);
}

/** Both operands as tensors of the result's dtype (numbers become 0-d tensors). */
function operands(op: BinaryOpName, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const dtype = resultType(op, a, b);
  return [asTensor(a, dtype, op, 'input'), asTensor(b, dtype, op, 'other')];
}

/** The kernel call, no autograd: out = op(a, b) broadcast; a and b of one dtype. */
export function binaryForward(op: BinaryOpName, a: Tensor, b: Tensor): Tensor {
  if (a.dtype === 'bool') return boolOp(op, a, b);
  if (sameShape(a.shape, b.shape)) {
    const out = allocOutput(a.dtype, a._data.length);
    cpu.kernels.binaryFlat(BinaryOpCode[op], a._data as Float32Array, b._data as Float32Array, out as Float32Array);
    return new Tensor(out, a.shape, a.dtype);
  }
  const shape = broadcastShapes(a.shape, b.shape, op);
  const out = allocOutput(a.dtype, numel(shape));
  cpu.kernels.binary(BinaryOpCode[op], a._data as Float32Array, a.shape, b._data as Float32Array, b.shape, out as Float32Array, shape);
  return new Tensor(out, shape, a.dtype);
}

/** Two bool tensors: add is a logical or, mul a logical and, as in PyTorch; sub is refused. */
function boolOp(op: BinaryOpName, a: Tensor, b: Tensor): Tensor {
  if (op === 'sub') {
    throw new TypeError('sub: Subtraction, the `-` operator, with two bool tensors is not supported. Use logicalXor() instead.');
  }
  return binaryForward(op, a.int(), b.int()).bool();
}

/** a + b, broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('add', a, b);
  const out = binaryForward('add', ta, tb);
  if (needsGrad(ta, tb)) {
    const [as, bs] = [ta.shape, tb.shape];
    record(out, 'AddBackward0', [ta, tb], (g) => [sumTo(g, as), sumTo(g, bs)]);
  }
  return out;
}

/** a - b, broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('sub', a, b);
  const out = binaryForward('sub', ta, tb);
  if (needsGrad(ta, tb)) {
    const [as, bs] = [ta.shape, tb.shape];
    record(out, 'SubBackward0', [ta, tb], (g) => [sumTo(g, as), sumTo(mul(g, -1), bs)]);
  }
  return out;
}

/** a * b elementwise, broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('mul', a, b);
  const out = binaryForward('mul', ta, tb);
  if (needsGrad(ta, tb)) {
    record(out, 'MulBackward0', [ta, tb], (g, [x, y]) => [
      x.requiresGrad ? sumTo(mul(g, y), x.shape) : null,
      y.requiresGrad ? sumTo(mul(g, x), y.shape) : null,
    ], [ta, tb]);
  }
  return out;
}

/** a / b elementwise, broadcasting; always float32 (true division). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = operands('div', a, b);
  const out = binaryForward('div', ta, tb);
  if (needsGrad(ta, tb)) {
    record(out, 'DivBackward0', [ta, tb], (g, [x, y]) => [
      x.requiresGrad ? sumTo(div(g, y), x.shape) : null,
      y.requiresGrad ? sumTo(mul(div(mul(g, x), mul(y, y)), -1), y.shape) : null,
    ], [ta, tb]);
  }
  return out;
}
