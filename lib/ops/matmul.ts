import { cpu } from '../backend/cpu';
import { broadcastShapes, numel, shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

function checkOperands(a: Tensor, b: Tensor): void {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError('matmul: both arguments must be Tensors');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new TypeError(`matmul: expected float32 operands, got ${a.dtype} and ${b.dtype}`);
  }
}

function mismatch(a: Tensor, b: Tensor): RangeError {
  if (a.ndim <= 2 && b.ndim <= 2) {
    const rows = (t: Tensor) => (t.ndim === 1 ? `1x${t.shape[0]}` : `${t.shape[0]}x${t.shape[1]}`);
    return new RangeError(`matmul: mat1 and mat2 shapes cannot be multiplied (${rows(a)} and ${rows(b)})`);
  }
  return new RangeError(`matmul: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} cannot be multiplied`);
}

/**
 * The matrix product with torch.matmul's rules: 1-D x 1-D is a dot product, a 1-D operand is a
 * row (left) or a column (right) that is dropped from the result, and batch dims broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkOperands(a, b);
  const aShape = a.ndim === 1 ? [1, a.shape[0]] : a.shape.slice();
  const bShape = b.ndim === 1 ? [b.shape[0], 1] : b.shape.slice();
  const k = aShape[aShape.length - 1];
  if (k !== bShape[bShape.length - 2]) throw mismatch(a, b);
  const batch = broadcastShapes(aShape.slice(0, -2), bShape.slice(0, -2), 'matmul');
  const m = aShape[aShape.length - 2];
  const n = bShape[bShape.length - 1];
  const outShape = [...batch, m, n];
  const out = new Float32Array(numel(outShape));
  cpu.kernels.matmul(a._data as Float32Array, aShape, false, b._data as Float32Array, bShape, false, out, outShape);
  const shape = [...batch];
  if (a.ndim > 1) shape.push(m);
  if (b.ndim > 1) shape.push(n);
  return new Tensor(out, shape);
}
