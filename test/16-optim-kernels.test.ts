// Fused optimizer steps (sgdStep, adamStep, rmspropStep, adagradStep): several steps against
// PyTorch fixtures (scripts/fixtures/nn_fixtures.py), against float64 references on large
// parameters, the gradient left untouched, and bitwise equality across thread counts.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { native } from '../lib/backend/load';
import { expectClose, randomArray, testRng } from './helpers/reference';
import {
  type AdagradRef,
  type AdamRef,
  type RmspropRef,
  type SgdRef,
  refAdagrad,
  refAdam,
  refRmsprop,
  refSgd,
} from './helpers/reference-reduce';

const initialThreads = native.getNumThreads();
afterAll(() => native.setNumThreads(initialThreads));

/** One optimizer over one parameter: its state buffers, and a step that calls the native kernel. */
interface Stepper {
  step(param: Float32Array, grad: Float32Array): void;
  state(): Float32Array[];
}

function sgd(n: number, o: SgdRef): Stepper {
  const buf = new Float32Array(n);
  let first = true;
  return {
    step(p, g) {
      native.sgdStep(p, g, o.momentum !== 0 ? buf : null, o.lr, o.momentum, o.dampening, o.weightDecay, o.nesterov, o.maximize, first);
      first = false;
    },
    state: () => [buf],
  };
}

function adam(n: number, o: AdamRef): Stepper {
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  const vmax = new Float32Array(n);
  let t = 0;
  return {
    step(p, g) {
      t += 1;
      native.adamStep(p, g, m, v, o.amsgrad ? vmax : null, t, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, o.amsgrad, o.maximize, o.decoupled);
    },
    state: () => [m, v, vmax],
  };
}

function rmsprop(n: number, o: RmspropRef): Stepper {
  const sq = new Float32Array(n);
  const gavg = new Float32Array(n);
  const buf = new Float32Array(n);
  return {
    step(p, g) {
      native.rmspropStep(p, g, sq, o.centered ? gavg : null, o.momentum > 0 ? buf : null, o.lr, o.alpha, o.eps, o.weightDecay, o.momentum, o.centered, o.maximize);
    },
    state: () => [sq, gavg, buf],
  };
}

function adagrad(n: number, o: AdagradRef, initialAccumulatorValue: number): Stepper {
  const sum = new Float32Array(n).fill(initialAccumulatorValue);
  let t = 0;
  return {
    step(p, g) {
      t += 1;
      native.adagradStep(p, g, sum, t, o.lr, o.lrDecay, o.weightDecay, o.eps, o.maximize);
    },
    state: () => [sum],
  };
}

/** torch.optim's defaults, overridden by a fixture's options (torch names). */
function fromTorch(optimizer: string, n: number, opts: Record<string, number | boolean | number[]>): Stepper {
  const num = (k: string, d: number) => (opts[k] as number | undefined) ?? d;
  const flag = (k: string) => (opts[k] as boolean | undefined) ?? false;
  const betas = (opts.betas as number[] | undefined) ?? [0.9, 0.999];
  switch (optimizer) {
    case 'SGD':
      return sgd(n, { lr: num('lr', 0), momentum: num('momentum', 0), dampening: num('dampening', 0), weightDecay: num('weight_decay', 0), nesterov: flag('nesterov'), maximize: flag('maximize') });
    case 'Adam':
    case 'AdamW':
      return adam(n, {
        lr: num('lr', 1e-3),
        beta1: betas[0],
        beta2: betas[1],
        eps: num('eps', 1e-8),
        weightDecay: num('weight_decay', optimizer === 'AdamW' ? 1e-2 : 0),
        amsgrad: flag('amsgrad'),
        maximize: flag('maximize'),
        decoupled: optimizer === 'AdamW',
      });
    case 'RMSprop':
      return rmsprop(n, { lr: num('lr', 1e-2), alpha: num('alpha', 0.99), eps: num('eps', 1e-8), weightDecay: num('weight_decay', 0), momentum: num('momentum', 0), centered: flag('centered'), maximize: flag('maximize') });
    case 'Adagrad':
      return adagrad(n, { lr: num('lr', 1e-2), lrDecay: num('lr_decay', 0), weightDecay: num('weight_decay', 0), eps: num('eps', 1e-10), maximize: flag('maximize') }, num('initial_accumulator_value', 0));
    default:
      throw new Error(`no optimizer ${optimizer}`);
  }
}

describe('optimizer steps against PyTorch fixtures', () => {
  interface FixtureOptim {
    name: string;
    optimizer: string;
    options: Record<string, number | boolean | number[]>;
    param: number[];
    grads: number[][];
    after: number[][];
  }
  const { optimizers } = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'nn.json'), 'utf8')) as { optimizers: FixtureOptim[] };

  it('cover every optimizer', () => {
    expect(new Set(optimizers.map((f) => f.optimizer))).toEqual(new Set(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad']));
  });

  for (const f of optimizers) {
    it(`${f.optimizer} ${f.name}: ${f.grads.length} steps`, () => {
      const p = Float32Array.from(f.param);
      const opt = fromTorch(f.optimizer, p.length, f.options);
      f.grads.forEach((g, k) => {
        const grad = Float32Array.from(g);
        opt.step(p, grad);
        expect(Array.from(grad)).toEqual(Array.from(Float32Array.from(g))); // grad only read
        expectClose(p, f.after[k], 1e-5, 1e-6);
      });
    });
  }
});

describe('optimizer steps against float64 references', () => {
  const n = 100_003; // several tasks, and a ragged end

  type Run = (p: Float64Array, g: Float32Array, t: number) => void;
  function compare(name: string, make: () => [Stepper, Run]) {
    it(name, () => {
      const rng = testRng(name.length * 13 + 5);
      const p = randomArray(rng, n);
      const ref = Float64Array.from(p);
      const [opt, refStep] = make();
      for (let t = 1; t <= 4; t++) {
        const g = randomArray(rng, n, -2 / t, 2 / t);
        opt.step(p, g);
        refStep(ref, g, t);
        expectClose(p, ref, 2e-5, 2e-6);
      }
    });
  }

  for (const o of [
    { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
    { lr: 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.01, nesterov: false, maximize: true },
    { lr: 0.05, momentum: 0.7, dampening: 0, weightDecay: 0.1, nesterov: true, maximize: false },
  ]) {
    compare(`SGD ${JSON.stringify(o)}`, () => {
      const buf = new Float64Array(n);
      return [sgd(n, o), (p, g, t) => refSgd(p, g, buf, t === 1, o)];
    });
  }
  for (const o of [
    { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupled: false },
    { lr: 0.02, beta1: 0.8, beta2: 0.9, eps: 1e-6, weightDecay: 0.1, amsgrad: true, maximize: true, decoupled: false },
    { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.3, amsgrad: true, maximize: false, decoupled: true },
  ]) {
    compare(`Adam ${JSON.stringify(o)}`, () => {
      const [m, v, vmax] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      return [adam(n, o), (p, g, t) => refAdam(p, g, m, v, vmax, t, o)];
    });
  }
  for (const o of [
    { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false },
    { lr: 0.01, alpha: 0.9, eps: 1e-6, weightDecay: 0.05, momentum: 0.8, centered: true, maximize: true },
    { lr: 0.003, alpha: 0.95, eps: 1e-5, weightDecay: 0, momentum: 0.5, centered: false, maximize: false },
    { lr: 0.003, alpha: 0.95, eps: 1e-5, weightDecay: 0, momentum: 0, centered: true, maximize: false },
  ]) {
    compare(`RMSprop ${JSON.stringify(o)}`, () => {
      const [sq, gavg, buf] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
      return [rmsprop(n, o), (p, g) => refRmsprop(p, g, sq, gavg, buf, o)];
    });
  }
  for (const o of [
    { lr: 0.1, lrDecay: 0, weightDecay: 0, eps: 1e-10, maximize: false },
    { lr: 0.05, lrDecay: 0.2, weightDecay: 0.1, eps: 1e-6, maximize: true },
  ]) {
    compare(`Adagrad ${JSON.stringify(o)}`, () => {
      const sum = new Float64Array(n).fill(0.1);
      return [adagrad(n, o, 0.1), (p, g, t) => refAdagrad(p, g, sum, t, o)];
    });
  }
});

describe('optimizer edge cases', () => {
  it('weight decay 0 leaves an infinite parameter alone, as PyTorch skips the term', () => {
    const p = Float32Array.of(Infinity, 1);
    native.sgdStep(p, Float32Array.of(0, 1), null, 0.1, 0, 0, 0, false, false, true);
    expect(Array.from(p)).toEqual([Infinity, Math.fround(0.9)]);
  });

  it('SGD momentum: the first step copies the gradient into the buffer', () => {
    const p = Float32Array.of(1, 2);
    const buf = Float32Array.of(100, 100);
    native.sgdStep(p, Float32Array.of(0.5, -1), buf, 1, 0.9, 0.5, 0, false, false, true);
    expect(Array.from(buf)).toEqual([0.5, -1]);
    expect(Array.from(p)).toEqual([0.5, 3]);
    native.sgdStep(p, Float32Array.of(0.5, -1), buf, 1, 0.9, 0.5, 0, false, false, false);
    expect(Array.from(buf)).toEqual([Math.fround(0.45 + 0.25), Math.fround(-0.9 - 0.5)]);
  });

  it('empty parameters are fine', () => {
    const e = new Float32Array(0);
    expect(native.adamStep(e, e.slice(), e.slice(), e.slice(), null, 1, 0.1, 0.9, 0.999, 1e-8, 0, false, false, false)).toBeUndefined();
  });

  it('results are bitwise the same with 1 and 2 threads', () => {
    const rng = testRng(201);
    const n = 300_001;
    const p0 = randomArray(rng, n);
    const g = randomArray(rng, n);
    const run = () => {
      const steppers = [
        sgd(n, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0.01, nesterov: true, maximize: false }),
        adam(n, { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, amsgrad: true, maximize: false, decoupled: true }),
        rmsprop(n, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0.9, centered: true, maximize: false }),
        adagrad(n, { lr: 0.1, lrDecay: 0.01, weightDecay: 0, eps: 1e-10, maximize: false }, 0),
      ];
      return steppers.flatMap((s) => {
        const p = p0.slice();
        s.step(p, g);
        s.step(p, g);
        return [p, ...s.state()];
      });
    };
    native.setNumThreads(1);
    const one = run();
    native.setNumThreads(2);
    const two = run();
    for (let i = 0; i < one.length; i++) expect(Buffer.from(one[i].buffer).equals(Buffer.from(two[i].buffer)), `buffer ${i}`).toBe(true);
  });
});
