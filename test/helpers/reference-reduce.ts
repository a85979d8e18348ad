/**
 * Plain float64 references for reductions, softmax, losses and optimizer steps, written from the
 * PyTorch docs, for the kernel tests. Slow and obvious on purpose.
 */
import { numelOf, unravel } from './reference';

export interface RefResult {
  values: Float64Array;
  shape: number[];
}


/** The kept shape and, for each output, the list of input offsets folded into it, in order. */
export function reductionGroups(shape: readonly number[], dims: readonly number[]): { shape: number[]; groups: number[][] } {
  const reduced = new Set(dims);
  const kept = shape.filter((_, d) => !reduced.has(d));
  const groups: number[][] = Array.from({ length: numelOf(kept) }, () => []);
  const n = numelOf(shape);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    let o = 0;
    for (let d = 0; d < shape.length; d++) if (!reduced.has(d)) o = o * shape[d] + idx[d];
    groups[o].push(i);
  }
  return { shape: kept, groups };
}

export type RefReduceOp = 'sum' | 'mean' | 'prod' | 'max' | 'min';

/** max and min propagate NaN, as torch.amax does. */
export function refReduce(op: RefReduceOp, x: ArrayLike<number>, shape: readonly number[], dims: readonly number[]): RefResult {
  const { shape: kept, groups } = reductionGroups(shape, dims);
  const values = new Float64Array(groups.length);
  groups.forEach((g, o) => {
    const v = g.map((i) => x[i]);
    switch (op) {
      case 'sum':
        values[o] = v.reduce((a, b) => a + b, 0);
        break;
      case 'mean':
        values[o] = v.reduce((a, b) => a + b, 0) / v.length;
        break;
      case 'prod':
        values[o] = v.reduce((a, b) => a * b, 1);
        break;
      case 'max':
        values[o] = v.some(Number.isNaN) ? NaN : v.reduce((a, b) => Math.max(a, b), -Infinity);
        break;
      case 'min':
        values[o] = v.some(Number.isNaN) ? NaN : v.reduce((a, b) => Math.min(a, b), Infinity);
        break;
    }
  });
  return { values, shape: kept };
}

export function refVar(x: ArrayLike<number>, shape: readonly number[], dims: readonly number[], correction: number): RefResult {
  const { shape: kept, groups } = reductionGroups(shape, dims);
  const values = new Float64Array(groups.length);
  groups.forEach((g, o) => {
    const mean = g.reduce((a, i) => a + x[i], 0) / g.length;
    const ss = g.reduce((a, i) => a + (x[i] - mean) ** 2, 0);
    values[o] = ss / Math.max(0, g.length - correction);
  });
  return { values, shape: kept };
}

/** Index of the first max (or min) along dim; a NaN beats every number and the first NaN wins. */
export function refArg(op: 'max' | 'min', x: ArrayLike<number>, shape: readonly number[], dim: number): { values: Float64Array; indices: Int32Array } {
  const { groups } = reductionGroups(shape, [dim]);
  const values = new Float64Array(groups.length);
  const indices = new Int32Array(groups.length);
  groups.forEach((g, o) => {
    let best = 0;
    for (let k = 1; k < g.length; k++) {
      const v = x[g[k]];
      const b = x[g[best]];
      if (Number.isNaN(b)) break;
      if (Number.isNaN(v) || (op === 'max' ? v > b : v < b)) best = k;
    }
    values[o] = x[g[best]];
    indices[o] = best;
  });
  return { values, indices };
}

/** [outer, D, inner] around dim. */
export function splitAt(shape: readonly number[], dim: number): [number, number, number] {
  return [numelOf(shape.slice(0, dim)), shape[dim], numelOf(shape.slice(dim + 1))];
}

export function refSoftmax(x: ArrayLike<number>, shape: readonly number[], dim: number, log: boolean): Float64Array {
  const [outer, D, inner] = splitAt(shape, dim);
  const y = new Float64Array(x.length);
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < inner; j++) {
      const at = (d: number) => (o * D + d) * inner + j;
      let m = -Infinity;
      for (let d = 0; d < D; d++) m = Number.isNaN(x[at(d)]) || x[at(d)] > m ? x[at(d)] : m;
      let s = 0;
      for (let d = 0; d < D; d++) s += Math.exp(x[at(d)] - m);
      for (let d = 0; d < D; d++) y[at(d)] = log ? x[at(d)] - m - Math.log(s) : Math.exp(x[at(d)] - m) / s;
    }
  return y;
}

export interface LossOptions {
  weight: ArrayLike<number> | null;
  ignoreIndex: number;
  labelSmoothing: number;
  reduction: 'none' | 'mean' | 'sum';
  /** The input holds log-probabilities (nll_loss) rather than logits. */
  logProbs: boolean;
}

/** torch.nn.functional.cross_entropy / nll_loss with class indices, input [N, C, ...]. */
export function refLoss(x: ArrayLike<number>, shape: readonly number[], target: ArrayLike<number>, o: LossOptions): Float64Array {
  const [N, C] = shape;
  const inner = numelOf(shape.slice(2));
  const lp = o.logProbs ? Float64Array.from(x) : refSoftmax(x, shape, 1, true);
  const w = (c: number) => (o.weight ? o.weight[c] : 1);
  const e = o.labelSmoothing;
  const losses = new Float64Array(N * inner);
  let divisor = 0;
  for (let n = 0; n < N; n++)
    for (let j = 0; j < inner; j++) {
      const s = n * inner + j;
      const t = target[s];
      if (t === o.ignoreIndex) continue;
      const at = (c: number) => (n * C + c) * inner + j;
      let smooth = 0; // PyTorch adds the smoothing term only when label_smoothing > 0
      for (let c = 0; c < C && e > 0; c++) smooth -= w(c) * lp[at(c)];
      losses[s] = (1 - e) * w(t) * -lp[at(t)] + (e > 0 ? (e / C) * smooth : 0);
      divisor += w(t);
    }
  if (o.reduction === 'none') return losses;
  const total = losses.reduce((a, b) => a + b, 0);
  return Float64Array.of(o.reduction === 'sum' ? total : total / divisor);
}

export function sumOf(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

/** Central differences of sum(f(x)) at x, in float64. */
export function numericGrad(f: (x: Float64Array) => ArrayLike<number>, x: ArrayLike<number>, h = 1e-6): Float64Array {
  const xs = Float64Array.from(x);
  const g = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const keep = xs[i];
    xs[i] = keep + h;
    const up = sumOf(f(xs));
    xs[i] = keep - h;
    const down = sumOf(f(xs));
    xs[i] = keep;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

// ---- optimizers, from the algorithms in the torch.optim docs ----------------------------------

export interface SgdRef {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export function refSgd(p: Float64Array, g: ArrayLike<number>, buf: Float64Array, first: boolean, o: SgdRef): void {
  for (let i = 0; i < p.length; i++) {
    let d = o.maximize ? -g[i] : g[i];
    if (o.weightDecay !== 0) d += o.weightDecay * p[i];
    if (o.momentum !== 0) {
      buf[i] = first ? d : o.momentum * buf[i] + (1 - o.dampening) * d;
      d = o.nesterov ? d + o.momentum * buf[i] : buf[i];
    }
    p[i] -= o.lr * d;
  }
}

export interface AdamRef {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  decoupled: boolean;
}

export function refAdam(p: Float64Array, g: ArrayLike<number>, m: Float64Array, v: Float64Array, vmax: Float64Array, step: number, o: AdamRef): void {
  const bc1 = 1 - o.beta1 ** step;
  const bc2 = 1 - o.beta2 ** step;
  for (let i = 0; i < p.length; i++) {
    let gi = o.maximize ? -g[i] : g[i];
    if (o.decoupled) p[i] *= 1 - o.lr * o.weightDecay;
    else if (o.weightDecay !== 0) gi += o.weightDecay * p[i];
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * gi;
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * gi * gi;
    let s = v[i];
    if (o.amsgrad) s = vmax[i] = Math.max(vmax[i], v[i]);
    p[i] -= ((o.lr / bc1) * m[i]) / (Math.sqrt(s) / Math.sqrt(bc2) + o.eps);
  }
}

export interface RmspropRef {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export function refRmsprop(p: Float64Array, g: ArrayLike<number>, sq: Float64Array, gavg: Float64Array, buf: Float64Array, o: RmspropRef): void {
  for (let i = 0; i < p.length; i++) {
    let gi = o.maximize ? -g[i] : g[i];
    if (o.weightDecay !== 0) gi += o.weightDecay * p[i];
    sq[i] = o.alpha * sq[i] + (1 - o.alpha) * gi * gi;
    let avg = sq[i];
    if (o.centered) {
      gavg[i] = o.alpha * gavg[i] + (1 - o.alpha) * gi;
      avg -= gavg[i] * gavg[i];
    }
    avg = Math.sqrt(avg) + o.eps;
    if (o.momentum > 0) {
      buf[i] = o.momentum * buf[i] + gi / avg;
      p[i] -= o.lr * buf[i];
    } else {
      p[i] -= (o.lr * gi) / avg;
    }
  }
}

export interface AdagradRef {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

export function refAdagrad(p: Float64Array, g: ArrayLike<number>, sum: Float64Array, step: number, o: AdagradRef): void {
  const clr = o.lr / (1 + (step - 1) * o.lrDecay);
  for (let i = 0; i < p.length; i++) {
    let gi = o.maximize ? -g[i] : g[i];
    if (o.weightDecay !== 0) gi += o.weightDecay * p[i];
    sum[i] += gi * gi;
    p[i] -= (clr * gi) / (Math.sqrt(sum[i]) + o.eps);
  }
}
