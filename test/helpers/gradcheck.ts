/**
 * Finite-difference gradient checks in float32: the gradient of L = sum(f(inputs) * W) for a fixed
 * random W, against central differences of L computed in float64 from f's float32 outputs.
 */
import { expect } from 'vitest';
import * as tg from '../../lib/index';

export interface GradcheckOptions {
  eps?: number;
  /** Allowed |numeric - analytic| is tol * (1 + |analytic|). */
  tol?: number;
}

function weightedSum(out: tg.Tensor, w: Float64Array): number {
  const d = out.dataSync();
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i] * w[i];
  return s;
}

/** Checks d/d(input i) for every float input that requires grad; f must be deterministic. */
export function gradcheck(f: (inputs: tg.Tensor[]) => tg.Tensor, inputs: tg.Tensor[], w: Float64Array, opts: GradcheckOptions = {}): void {
  const eps = opts.eps ?? 1e-2;
  const tol = opts.tol ?? 1e-2;
  for (const x of inputs) x.grad = null;
  const out = f(inputs);
  tg.sum(tg.mul(out, new tg.Tensor(Float32Array.from(w), out.shape))).backward();
  inputs.forEach((x, i) => {
    if (!x.requiresGrad) return;
    const analytic = x.grad?.dataSync() ?? new Float32Array(x.numel());
    const data = x._data as Float32Array;
    for (let k = 0; k < data.length; k++) {
      const keep = data[k];
      data[k] = keep + eps;
      const up = tg.noGrad(() => weightedSum(f(inputs), w));
      data[k] = keep - eps;
      const down = tg.noGrad(() => weightedSum(f(inputs), w));
      data[k] = keep;
      const numeric = (up - down) / (2 * eps);
      const allowed = tol * (1 + Math.abs(analytic[k]));
      if (!(Math.abs(numeric - analytic[k]) <= allowed)) {
        expect.fail(`input ${i}, element ${k}: finite difference ${numeric}, autograd ${analytic[k]}`);
      }
    }
  });
}
