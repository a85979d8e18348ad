import { allocFloat32 } from '../backend/storage';
import { needsGrad, record } from '../autograd/function';
import { cpu } from '../backend/cpu';
import { broadcastShapes, numel, shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { sumTo } from './reduce';
import { reluGrad } from './unary';
import { reshape } from './view';

function checkFloat(a: Tensor, b: Tensor, fn: string): void {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError(`${fn}: both arguments must be Tensors`);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new TypeError(`${fn}: expected float32 operands, got ${a.dtype} and ${b.dtype}`);
  }
}

/**
 * op(a) @ op(b) for operands of rank >= 2 whose batch dims broadcast; op transposes the last two
 * dims when its flag is set, inside the kernel (no copy). Its backward is made of the same op with
 * other flags, so it differentiates twice.
 */
export function mm(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const m = a.shape[a.ndim - (transA ? 1 : 2)];
  const n = b.shape[b.ndim - (transB ? 2 : 1)];
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2), 'matmul');
  const shape = [...batch, m, n];
  const out = allocFloat32(numel(shape));
  if (a.ndim === 2 && b.ndim === 2) {
    const k = a.shape[transA ? 0 : 1];
    if (k !== b.shape[transB ? 1 : 0]) {
      throw new RangeError(`mm: mat1 and mat2 shapes cannot be multiplied (${m}x${k} and ${b.shape[transB ? 1 : 0]}x${n})`);
    }
    cpu.kernels.gemm(a._data as Float32Array, transA, b._data as Float32Array, transB, out, m, n, k);
  } else {
    cpu.kernels.matmul(a._data as Float32Array, a.shape, transA, b._data as Float32Array, b.shape, transB, out, shape);
  }
  const result = new Tensor(out, shape);
  if (needsGrad(a, b)) {
    record(result, 'MmBackward0', [a, b], (g, [x, y]) => {
      // d op(x) = g op(y)^T and d op(y) = op(x)^T g, written back through each op.
      const gx = !x.requiresGrad ? null : transA ? mm(y, g, transB, true) : mm(g, y, false, !transB);
      const gy = !y.requiresGrad ? null : transB ? mm(g, x, true, transA) : mm(x, g, !transA, false);
      return [gx && sumTo(gx, x.shape), gy && sumTo(gy, y.shape)];
    }, [a, b]);
  }
  return result;
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
  checkFloat(a, b, 'matmul');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: both arguments to matmul need to be at least 1D, but they are ${a.ndim}D and ${b.ndim}D`);
  }
  const a2 = a.ndim === 1 ? reshape(a, 1, -1) : a;
  const b2 = b.ndim === 1 ? reshape(b, -1, 1) : b;
  if (a2.shape[a2.ndim - 1] !== b2.shape[b2.ndim - 2]) throw mismatch(a, b);
  const out = mm(a2, b2);
  if (a.ndim > 1 && b.ndim > 1) return out;
  const shape = out.shape.slice();
  if (b.ndim === 1) shape.pop();
  if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
  return reshape(out, shape);
}

/** The outer product of two vectors. */
export function outer(a: Tensor, b: Tensor): Tensor {
  checkFloat(a, b, 'outer');
  if (a.ndim !== 1 || b.ndim !== 1) throw new RangeError(`outer: expected 1-D tensors, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  return mm(reshape(a, -1, 1), reshape(b, 1, -1));
}

/**
 * x @ w^T + bias in one GEMM with the bias fused, as torch.nn.functional.linear: x [..., in],
 * w [out, in], bias [out] or none. `relu` fuses a ReLU into the output (Linear followed by ReLU).
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null, relu = false): Tensor {
  checkFloat(x, weight, 'linear');
  if (bias && bias.dtype !== 'float32') throw new TypeError(`linear: expected a float32 bias, got ${bias.dtype}`);
  if (weight.ndim !== 2 || x.ndim === 0 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    const rows = x.ndim >= 1 ? `${numel(x.shape.slice(0, -1))}x${x.shape[x.ndim - 1]}` : 'scalar';
    throw new RangeError(`linear: mat1 and mat2 shapes cannot be multiplied (${rows} and ${weight.shape[1] ?? '?'}x${weight.shape[0] ?? '?'})`);
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new RangeError(`linear: bias of shape ${shapeStr(bias.shape)} does not match weight of shape ${shapeStr(weight.shape)}`);
  }
  const shape = [...x.shape.slice(0, -1), weight.shape[0]];
  const out = allocFloat32(numel(shape));
  const [n, k] = weight.shape;
  cpu.kernels.linear(x._data as Float32Array, weight._data as Float32Array, bias ? (bias._data as Float32Array) : null, relu, out, numel(x.shape.slice(0, -1)), n, k);
  const result = new Tensor(out, shape);
  if (needsGrad(x, weight, bias)) {
    record(result, relu ? 'AddmmReluBackward0' : 'AddmmBackward0', [x, weight, bias ?? null], (gOut, [xs, w, y]) => {
      const g = relu ? reluGrad(gOut, y) : gOut;
      const g2 = reshape(g, -1, w.shape[0]);
      const x2 = reshape(xs, -1, w.shape[1]);
      return [
        xs.requiresGrad ? reshape(mm(g2, w), xs.shape) : null,
        w.requiresGrad ? mm(g2, x2, true, false) : null,
        bias?.requiresGrad ? sumTo(g2, [w.shape[0]]) : null,
      ];
    }, relu ? [x, weight, result] : [x, weight]);
  }
  return result;
}
