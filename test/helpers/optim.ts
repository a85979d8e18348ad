/** The optimizer fixtures (scripts/fixtures/optim_fixtures.py) and helpers to build and compare runs. */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import * as tg from '../../lib/index';

export type OptimizerName = 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';
type Options = Record<string, unknown>;

export interface OptimizerFixture {
  name: string;
  optimizer: OptimizerName;
  defaults: Options;
  groups: { params: number[]; options: Options }[];
  shapes: number[][];
  initial: number[][];
  /** Per step, per parameter: its gradient, or null for none. */
  grads: (number[] | null)[][];
  /** OneCycleLR's options, when it runs between the steps. */
  schedule: Options | null;
  /** Per step, per group: lr (and momentum or betas) before the step, when scheduled. */
  hyper: { lr: number; momentum?: number; betas?: number[] }[][] | null;
  after: number[][][];
  state: Record<string, Record<string, number | number[]>>;
}

export interface SchedulerFixture {
  name: string;
  scheduler: string;
  optimizer: 'SGD' | 'Adam';
  optimizerOptions: Options;
  options: Options;
  metrics: number[] | null;
  lrs: number[][];
  momenta: (number | null)[][] | null;
  groupKeys: Record<string, number[]>;
}

export interface ClipFixture {
  normType: number | 'inf';
  maxNorm: number;
  grads: number[][];
  total: number;
  after: number[][];
}

export interface OptimFixtures {
  torch: string;
  /** The shapes of the three parameters of the optimizer and clipping fixtures. */
  shapes: number[][];
  optimizers: OptimizerFixture[];
  schedulers: SchedulerFixture[];
  clipGradNorm: ClipFixture[];
}

export const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'optim.json'), 'utf8')) as OptimFixtures;

type OptimizerClass = new (params: unknown, options?: Options) => tg.optim.Optimizer;
const classes: Record<OptimizerName, OptimizerClass> = {
  SGD: tg.optim.SGD as unknown as OptimizerClass,
  Adam: tg.optim.Adam as unknown as OptimizerClass,
  AdamW: tg.optim.AdamW as unknown as OptimizerClass,
  RMSprop: tg.optim.RMSprop as unknown as OptimizerClass,
  Adagrad: tg.optim.Adagrad as unknown as OptimizerClass,
};

/** new SGD(params, options) and the others, by name. */
export function makeOptimizer(name: OptimizerName, params: unknown, options?: Options): tg.optim.Optimizer {
  return new classes[name](params, options);
}

/** Leaf parameters with the given values and shapes. */
export function makeParams(values: readonly number[][], shapes: readonly number[][]): tg.Tensor[] {
  return values.map((v, i) => tg.tensor(v).reshape(shapes[i]).detach().requiresGrad_());
}

/** The fixture's optimizer over fresh parameters (and its OneCycleLR, if any). */
export function fromFixture(f: OptimizerFixture): { params: tg.Tensor[]; opt: tg.optim.Optimizer; sched: tg.optim.lrScheduler.OneCycleLR | null } {
  const params = makeParams(f.initial, f.shapes);
  const groups = f.groups.map((g) => ({ ...g.options, params: g.params.map((i) => params[i]) }));
  const opt = makeOptimizer(f.optimizer, groups, f.defaults);
  const sched = f.schedule ? new tg.optim.lrScheduler.OneCycleLR(opt, f.schedule as unknown as tg.optim.lrScheduler.OneCycleLROptions) : null;
  return { params, opt, sched };
}

/** Gives each parameter the fixture's gradient of step k (or none). */
export function setGrads(params: readonly tg.Tensor[], grads: readonly (number[] | null)[]): void {
  params.forEach((p, i) => {
    const g = grads[i];
    p.grad = g === null ? null : tg.tensor(g).reshape(p.shape);
  });
}

/** The bytes of a tensor's elements, for bit-for-bit comparisons. */
export function bits(t: tg.Tensor): number[] {
  return Array.from(new Uint32Array(Float32Array.from(t._data).buffer));
}

export function expectSameBits(a: readonly tg.Tensor[], b: readonly tg.Tensor[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((t, i) => expect(bits(t), `tensor ${i}`).toEqual(bits(b[i])));
}
