/**
 * Elementwise math and activations. Each op's backward runs a fused native kernel; when the
 * backward itself is being recorded (createGraph), it is written with ops instead, so that it can
 * be differentiated again.
 */
import { allocFloat32 } from '../backend/storage';
import { UnaryBackwardOpCode, UnaryOpCode, type UnaryBackwardOpName, type UnaryOpName } from '../backend/addon-types';
import { cpu } from '../backend/cpu';
import { needsGrad, record } from '../autograd/function';
import { isGradEnabled } from '../autograd/grad-mode';
import { zerosLike } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
import { add, binaryForward, div, mul, scalarTensor, sub, type TensorLike } from './binary';
import { eq, ge, gt, le, logicalAnd, where } from './compare';
import { sumTo } from './reduce';

function asFloat(x: Tensor, fn: string): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${fn}: expected a Tensor, got ${typeof x}`);
  return x.dtype === 'float32' ? x : x.float();
}

/** The kernel call, no autograd. */
function unaryForward(op: UnaryOpName, x: Tensor, p0 = 0, p1 = 0): Tensor {
  const out = allocFloat32(x.numel());
  cpu.kernels.unary(UnaryOpCode[op], x._data as Float32Array, out, p0, p1);
  return new Tensor(out, x.shape);
}

/** grad * f'(saved) by the fused kernel. */
function fusedBackward(op: UnaryBackwardOpName, g: Tensor, saved: Tensor, p0 = 0, p1 = 0): Tensor {
  const out = allocFloat32(g.numel());
  cpu.kernels.unaryBackward(UnaryBackwardOpCode[op], g._data as Float32Array, saved._data as Float32Array, out, p0, p1);
  return new Tensor(out, g.shape);
}

type Composite = (g: Tensor, saved: Tensor, p0: number, p1: number) => Tensor;

/**
 * Defines a unary op: forward kernel `op`, backward by the fused kernel `grad` (or by `composite`
 * when recording, or always when there is no fused kernel). `savesOutput` saves y instead of x.
 */
function unaryOp(
  name: string,
  op: UnaryOpName,
  backward: { grad?: UnaryBackwardOpName; composite: Composite; savesOutput?: boolean },
): (x: Tensor, p0?: number, p1?: number) => Tensor {
  return (input: Tensor, p0 = 0, p1 = 0) => {
    const x = asFloat(input, op);
    const out = unaryForward(op, x, p0, p1);
    if (needsGrad(x)) {
      // The output itself, not a detached copy: a recorded backward differentiates through it.
      const saved = backward.savesOutput ? out : x;
      record(out, name, [x], (g, [s]) => {
        const fused = backward.grad && !isGradEnabled();
        return [fused ? fusedBackward(backward.grad as UnaryBackwardOpName, g, s, p0, p1) : backward.composite(g, s, p0, p1)];
      }, [saved]);
    }
    return out;
  };
}

/**
 * The gradient through a ReLU fused into another op's kernel, from that op's output y: g where
 * y > 0, else 0. Written with ops when the backward itself is recorded.
 */
export function reluGrad(g: Tensor, y: Tensor): Tensor {
  return isGradEnabled() ? mul(g, gt(y, 0).float()) : fusedBackward('relu', g, y);
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

export const neg = unaryOp('NegBackward0', 'neg', { composite: (g) => mul(g, -1) });
export const exp = unaryOp('ExpBackward0', 'exp', { composite: (g, y) => mul(g, y), savesOutput: true });
export const log = unaryOp('LogBackward0', 'log', { composite: (g, x) => div(g, x) });
export const log1p = unaryOp('Log1PBackward0', 'log1p', { composite: (g, x) => div(g, add(x, 1)) });
export const expm1 = unaryOp('Expm1Backward0', 'expm1', { composite: (g, y) => mul(g, add(y, 1)), savesOutput: true });
export const sqrt = unaryOp('SqrtBackward0', 'sqrt', { composite: (g, y) => div(g, mul(y, 2)), savesOutput: true });
export const rsqrt = unaryOp('RsqrtBackward0', 'rsqrt', { composite: (g, y) => mul(g, mul(mul(y, mul(y, y)), -0.5)), savesOutput: true });
export const abs = unaryOp('AbsBackward0', 'abs', { grad: 'abs', composite: (g, x) => mul(g, sign(x)) });
export const sign = unaryOp('SignBackward0', 'sign', { composite: (g) => zerosLike(g) });
export const square = unaryOp('PowBackward0', 'square', { composite: (g, x) => mul(g, mul(x, 2)) });
export const reciprocal = unaryOp('ReciprocalBackward0', 'reciprocal', { composite: (g, y) => mul(neg(g), mul(y, y)), savesOutput: true });
export const erf = unaryOp('ErfBackward0', 'erf', { composite: (g, x) => mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI))) });

export const relu = unaryOp('ReluBackward0', 'relu', { grad: 'relu', composite: (g, y) => mul(g, gt(y, 0).float()), savesOutput: true });
export const sigmoid = unaryOp('SigmoidBackward0', 'sigmoid', { grad: 'sigmoid', composite: (g, y) => mul(g, mul(y, sub(1, y))), savesOutput: true });
export const tanh = unaryOp('TanhBackward0', 'tanh', { grad: 'tanh', composite: (g, y) => mul(g, sub(1, mul(y, y))), savesOutput: true });
export const silu = unaryOp('SiluBackward0', 'silu', {
  grad: 'silu',
  composite: (g, x) => {
    const s = sigmoid(x);
    return mul(g, mul(s, add(1, mul(x, sub(1, s)))));
  },
});

const geluExact = unaryOp('GeluBackward0', 'gelu', {
  grad: 'gelu',
  composite: (g, x) => {
    const cdf = mul(add(erf(mul(x, SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(mul(x, x), -0.5)), INV_SQRT_2PI);
    return mul(g, add(cdf, mul(x, pdf)));
  },
});
const geluTanh = unaryOp('GeluBackward0', 'geluTanh', {
  grad: 'geluTanh',
  composite: (g, x) => {
    // d/dx 0.5 x (1 + tanh(u)), u = c (x + 0.044715 x^3)
    const c = Math.sqrt(2 / Math.PI);
    const t = tanh(mul(add(x, mul(mul(x, mul(x, x)), 0.044715)), c));
    const du = mul(add(mul(mul(x, x), 3 * 0.044715), 1), c);
    return mul(g, add(mul(add(t, 1), 0.5), mul(mul(x, mul(sub(1, mul(t, t)), du)), 0.5)));
  },
});

/** GELU: x * Phi(x) exactly, or with approximate: 'tanh' the tanh form, as torch.nn.functional.gelu. */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') throw new RangeError(`gelu: approximate must be 'none' or 'tanh', got '${approximate}'`);
  return approximate === 'tanh' ? geluTanh(x) : geluExact(x);
}

const softplusOp = unaryOp('SoftplusBackward0', 'softplus', {
  grad: 'softplus',
  composite: (g, x, beta, threshold) => {
    const bx = mul(x, beta);
    return where(gt(bx, threshold), g, mul(g, sigmoid(bx)));
  },
});
/** log(1 + exp(beta x)) / beta, and x itself where beta x > threshold. */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  return softplusOp(x, beta, threshold);
}

const eluOp = unaryOp('EluBackward0', 'elu', {
  grad: 'elu',
  composite: (g, x, alpha) => where(gt(x, 0), g, mul(g, mul(exp(x), alpha))),
});
/** x for x > 0, alpha (exp(x) - 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  return eluOp(x, alpha);
}

const leakyOp = unaryOp('LeakyReluBackward0', 'leakyRelu', {
  grad: 'leakyRelu',
  composite: (g, x, slope) => where(gt(x, 0), g, mul(g, slope)),
});
/** x for x > 0, negativeSlope * x otherwise. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  return leakyOp(x, negativeSlope);
}

const clampOp = unaryOp('ClampBackward1', 'clamp', {
  grad: 'clamp',
  composite: (g, x, lo, hi) => mul(g, logicalAnd(ge(x, lo), le(x, hi)).float()),
});
/** x limited to [min, max]; either bound may be omitted (null or undefined). */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  if ((min === undefined || min === null) && (max === undefined || max === null)) throw new TypeError("clamp: At least one of 'min' or 'max' must not be None");
  return clampOp(x, min ?? -Infinity, max ?? Infinity);
}

const powScalarOp = unaryOp('PowBackward0', 'pow', {
  grad: 'pow',
  composite: (g, x, e) => (e === 0 ? zerosLike(g) : mul(g, mul(powScalarOp(x, e - 1), e))),
});

/** x ** exponent: a number exponent runs the unary kernel; a tensor exponent broadcasts. */
export function pow(x: TensorLike, exponent: TensorLike): Tensor {
  if (x instanceof Tensor && typeof exponent === 'number') return powScalarOp(x, exponent);
  return powTensor(x, exponent);
}

/** a ** b elementwise with broadcasting (float32). */
function powTensor(a: TensorLike, b: TensorLike): Tensor {
  const ta = a instanceof Tensor ? asFloat(a, 'pow') : scalarTensor(a, 'float32');
  const tb = b instanceof Tensor ? asFloat(b, 'pow') : scalarTensor(b, 'float32');
  const out = binaryForward('pow', ta, tb);
  if (needsGrad(ta, tb)) {
    record(out, 'PowBackward1', [ta, tb], (g, [x, y, z]) => {
      // d/dx = y x^(y-1); d/dy = x^y log x, taken as 0 where x == 0 and y >= 0 (as PyTorch).
      const gx = x.requiresGrad ? sumTo(mul(g, mul(y, powTensor(x, sub(y, 1)))), x.shape) : null;
      const safeLog = where(logicalAnd(eq(x, 0), ge(y, 0)), 0, log(x));
      const gy = y.requiresGrad ? sumTo(mul(g, mul(z, safeLog)), y.shape) : null;
      return [gx, gy];
    }, [ta, tb, out]);
  }
  return out;
}
