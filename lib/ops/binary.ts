import { BinaryOpCode, type BinaryOpName } from '../backend/addon-types';
import { cpu } from '../backend/cpu';
import { allocate, promoteTypes, type DType } from '../tensor/dtype';
import { broadcastShapes } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** A tensor, or a number that acts as a 0-d tensor. */
export type TensorLike = Tensor | number;

function scalarTensor(value: number, dtype: DType): Tensor {
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

export function binaryOp(op: BinaryOpName, a: TensorLike, b: TensorLike): Tensor {
  const dtype = resultType(op, a, b);
  if (dtype === 'bool') return boolOp(op, a as Tensor, b as Tensor);
  const ta = asTensor(a, dtype, op, 'input');
  const tb = asTensor(b, dtype, op, 'other');
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  const out = allocate(dtype, shape.reduce((x, y) => x * y, 1));
  cpu.kernels.binary(BinaryOpCode[op], ta._data as Float32Array, ta.shape, tb._data as Float32Array, tb.shape, out as Float32Array, shape);
  return new Tensor(out, shape);
}

/** Two bool tensors: add is a logical or, mul a logical and, as in PyTorch; sub is refused. */
function boolOp(op: BinaryOpName, a: Tensor, b: Tensor): Tensor {
  if (op === 'sub') {
    throw new TypeError('sub: Subtraction, the `-` operator, with two bool tensors is not supported. Use logicalXor() instead.');
  }
  return binaryOp(op, a.int(), b.int()).bool();
}

/** a + b, broadcasting. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('add', a, b);
}

/** a - b, broadcasting. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('sub', a, b);
}

/** a * b elementwise, broadcasting. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('mul', a, b);
}

/** a / b elementwise, broadcasting; always float32 (true division). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('div', a, b);
}

/** The larger of a and b elementwise; NaN wins. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('maximum', a, b);
}

/** The smaller of a and b elementwise; NaN wins. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return binaryOp('minimum', a, b);
}
