/** Comparisons (bool results, no gradient), logical ops, where, and maximum / minimum. */
import { CompareOpCode, type CompareOpName } from '../backend/addon-types';
import { cpu } from '../backend/cpu';
import { needsGrad, record } from '../autograd/function';
import { allocOutput } from '../backend/storage';
import { promoteTypes, type DType } from '../tensor/dtype';
import { broadcastShapes, numel } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { noGrad } from '../autograd/grad-mode';
import { add, binaryForward, div, mul, scalarTensor, sub, type TensorLike } from './binary';
import { sumTo } from './reduce';
import { abs } from './unary';

function typeOf(x: TensorLike): DType {
  return x instanceof Tensor ? x.dtype : Number.isInteger(x) ? 'int32' : 'float32';
}

/** Operands of one numeric dtype (bool compares as int32), numbers as 0-d tensors. */
function numericPair(a: TensorLike, b: TensorLike, fn: string): [Tensor, Tensor] {
  let dtype = promoteTypes(typeOf(a), typeOf(b));
  if (dtype === 'bool') dtype = 'int32';
  const as = (x: TensorLike, side: string): Tensor => {
    if (x instanceof Tensor) return x.to(dtype);
    if (typeof x !== 'number') throw new TypeError(`${fn}: ${side} must be a Tensor or a number, got ${typeof x}`);
    return scalarTensor(x, dtype);
  };
  return [as(a, 'input'), as(b, 'other')];
}

function compare(op: CompareOpName, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = numericPair(a, b, op);
  const shape = broadcastShapes(ta.shape, tb.shape, op);
  const out = allocOutput('bool', numel(shape)) as Uint8Array;
  cpu.kernels.compare(CompareOpCode[op], ta._data as Float32Array, ta.shape, tb._data as Float32Array, tb.shape, out, shape);
  return new Tensor(out, shape, 'bool');
}

export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('gt', a, b);
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('ge', a, b);

/** True where x is neither NaN nor infinite. */
export function isfinite(x: Tensor): Tensor {
  // x - x is 0 exactly where x is finite (NaN and infinities give NaN); integers are all finite.
  return x.dtype === 'float32' ? eq(binaryForward('sub', x, x), 0) : eq(x, x);
}

/** True where x is NaN. */
export function isnan(x: Tensor): Tensor {
  return ne(x, x);
}

export function logicalNot(x: Tensor): Tensor {
  return eq(x, 0);
}

export function logicalAnd(a: Tensor, b: Tensor): Tensor {
  return binaryForward('mul', a.bool(), b.bool());
}

export function logicalOr(a: Tensor, b: Tensor): Tensor {
  return binaryForward('add', a.bool(), b.bool());
}

export function logicalXor(a: Tensor, b: Tensor): Tensor {
  return ne(a.bool(), b.bool());
}

/** a where cond is true, b elsewhere, all three broadcast together; cond must be bool. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(cond instanceof Tensor) || cond.dtype !== 'bool') {
    throw new TypeError(`where: expected condition to be a bool tensor, got ${cond instanceof Tensor ? cond.dtype : typeof cond}`);
  }
  const bothBool = a instanceof Tensor && b instanceof Tensor && a.dtype === 'bool' && b.dtype === 'bool';
  const [ta, tb] = numericPair(a, b, 'where');
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  const out = allocOutput(ta.dtype, numel(shape)) as Float32Array;
  cpu.kernels.where(cond._data as Uint8Array, cond.shape, ta._data as Float32Array, ta.shape, tb._data as Float32Array, tb.shape, out, shape);
  const result = new Tensor(out, shape, ta.dtype);
  if (needsGrad(ta, tb)) {
    record(result, 'WhereBackward0', [ta, tb], (g, [c, x, y]) => [
      x.requiresGrad ? sumTo(where(c, g, 0), x.shape) : null,
      y.requiresGrad ? sumTo(where(c, 0, g), y.shape) : null,
    ], [cond, ta, tb]);
  }
  return bothBool ? result.bool() : result;
}

/**
 * maximum / minimum with PyTorch's gradient: all of it to the larger (smaller) side, split in
 * half between equal sides.
 */
function extremeOf(op: 'maximum' | 'minimum', a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = numericPair(a, b, op);
  const out = binaryForward(op, ta, tb);
  if (needsGrad(ta, tb)) {
    const wins = op === 'maximum' ? gt : lt;
    record(out, op === 'maximum' ? 'MaximumBackward0' : 'MinimumBackward0', [ta, tb], (g, [x, y]) => {
      const half = div(g, 2);
      const share = (first: Tensor, second: Tensor) => where(wins(first, second), g, where(eq(first, second), half, 0));
      return [x.requiresGrad ? sumTo(share(x, y), x.shape) : null, y.requiresGrad ? sumTo(share(y, x), y.shape) : null];
    }, [ta, tb]);
  }
  return out;
}

/** The larger of a and b elementwise; NaN wins. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return extremeOf('maximum', a, b);
}

/** The smaller of a and b elementwise; NaN wins. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return extremeOf('minimum', a, b);
}

/** |a - b| <= atol + rtol |b| elementwise (NaN equal to NaN when equalNan). */
export function isclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): Tensor {
  return noGrad(() => {
    const close = le(abs(sub(a.float(), b.float())), add(mul(abs(b.float()), rtol), atol));
    const same = logicalOr(close, eq(a, b));
    return equalNan ? logicalOr(same, logicalAnd(isnan(a), isnan(b))) : same;
  });
}

/** True when every pair of elements is close (see isclose) and the shapes broadcast. */
export function allclose(a: Tensor, b: Tensor, rtol = 1e-5, atol = 1e-8, equalNan = false): boolean {
  return isclose(a, b, rtol, atol, equalNan)._data.every((v) => v === 1);
}
