// tg.optim.lrScheduler: the lr (and momentum) sequences of every scheduler against
// torch.optim.lr_scheduler (scripts/fixtures/optim_fixtures.py), stateDict round trips, resuming
// with lastEpoch, chaining, and the errors.
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { expectClose } from './helpers/reference';
import { fixtures, makeOptimizer, type SchedulerFixture } from './helpers/optim';

const { SGD, Adam, Adagrad } = tg.optim;
const S = tg.optim.lrScheduler;
type Scheduler = tg.optim.lrScheduler.LRScheduler | tg.optim.lrScheduler.ReduceLROnPlateau;

/** The fixture's two-group optimizer ([zeros(2)], [zeros(1)] with lr 0.05) and scheduler. */
function build(f: SchedulerFixture): { opt: tg.optim.Optimizer; sched: Scheduler } {
  const groups = [{ params: [tg.zeros(2).requiresGrad_()] }, { params: [tg.zeros(1).requiresGrad_()], lr: 0.05 }];
  const opt = makeOptimizer(f.optimizer, groups, f.optimizerOptions);
  const Class = S[f.scheduler as keyof typeof S] as unknown as new (o: tg.optim.Optimizer, options: unknown) => Scheduler;
  return { opt, sched: new Class(opt, f.options) };
}

function stepOnce(sched: Scheduler, f: SchedulerFixture, k: number): void {
  if (sched instanceof S.ReduceLROnPlateau) sched.step(f.metrics![k]);
  else sched.step();
}

function momenta(opt: tg.optim.Optimizer): (number | null)[] {
  return opt.paramGroups.map((g) => {
    const h = g as unknown as { momentum?: number; betas?: number[] };
    return h.betas ? h.betas[0] : (h.momentum ?? null);
  });
}

describe('schedulers against PyTorch fixtures', () => {
  it('cover every scheduler', () => {
    expect(new Set(fixtures.schedulers.map((f) => f.scheduler))).toEqual(
      new Set(['StepLR', 'MultiStepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR', 'OneCycleLR', 'ReduceLROnPlateau']),
    );
  });

  for (const f of fixtures.schedulers) {
    it(`${f.scheduler} ${f.name}: ${f.lrs.length - 1} steps`, () => {
      const { opt, sched } = build(f);
      const lrs = [opt.paramGroups.map((g) => g.lr)];
      const moms = [momenta(opt)];
      for (let k = 0; k < f.lrs.length - 1; k++) {
        stepOnce(sched, f, k);
        lrs.push(opt.paramGroups.map((g) => g.lr));
        moms.push(momenta(opt));
        expect(sched.getLastLr()).toEqual(lrs[k + 1]);
      }
      // PyTorch's arithmetic in the same order: equal up to the last bits of Math.cos.
      expectClose(lrs.flat(), f.lrs.flat(), 1e-13, 1e-18);
      if (f.momenta) expectClose(moms.flat() as number[], f.momenta.flat() as number[], 1e-13, 1e-18);
      for (const [key, values] of Object.entries(f.groupKeys)) {
        expectClose(opt.paramGroups.map((g) => g[key as keyof tg.optim.ScheduleKeys] as number), values, 1e-15, 0);
      }
      if (Object.keys(f.groupKeys).length === 0) expect(opt.paramGroups[0].initialLr).toBeUndefined();
    });
  }

  it('reduce lr on a plateau in the fixtures (the sequences are not flat)', () => {
    for (const f of fixtures.schedulers) expect(new Set(f.lrs.map((l) => l[0])).size, f.name).toBeGreaterThan(2);
  });
});

describe('scheduler stateDict', () => {
  for (const f of fixtures.schedulers) {
    it(`${f.name}: saved after 5 steps with its optimizer, loaded into fresh ones, continues bit for bit`, () => {
      const full = build(f);
      const part = build(f);
      for (let k = 0; k < 5; k++) for (const run of [full, part]) stepOnce(run.sched, f, k);
      const optState = part.opt.stateDict();
      const schedState = part.sched.stateDict();
      const resumed = build(f);
      resumed.opt.loadStateDict(optState);
      resumed.sched.loadStateDict(schedState);
      for (let k = 5; k < f.lrs.length - 1; k++) {
        for (const run of [full, resumed]) stepOnce(run.sched, f, k);
        expect(resumed.opt.paramGroups.map((g) => g.lr)).toEqual(full.opt.paramGroups.map((g) => g.lr));
        expect(momenta(resumed.opt)).toEqual(momenta(full.opt));
        expect(resumed.sched.getLastLr()).toEqual(full.sched.getLastLr());
      }
      expect(resumed.sched.stateDict()).toEqual(full.sched.stateDict());
    });
  }

  it("holds the scheduler's fields, as copies, and not the optimizer", () => {
    const opt = new SGD([tg.zeros(1).requiresGrad_()], { lr: 0.1 });
    const sched = new S.StepLR(opt, { stepSize: 2, gamma: 0.5 });
    const sd = sched.stateDict();
    expect(sd).toEqual({ optimizer: undefined, baseLrs: [0.1], lastEpoch: 0, _stepCount: 1, _lastLr: [0.1], stepSize: 2, gamma: 0.5 });
    expect('optimizer' in sd).toBe(false);
    (sd.baseLrs as number[])[0] = 7;
    expect(sched.baseLrs).toEqual([0.1]);
    const plateau = new S.ReduceLROnPlateau(opt).stateDict();
    expect(plateau).toMatchObject({ mode: 'min', best: Infinity, numBadEpochs: 0, cooldownCounter: 0, minLrs: [0], _lastLr: [0.1] });
  });

  it('refuses keys the scheduler does not have, and values of another kind', () => {
    const opt = new SGD([tg.zeros(1).requiresGrad_()], { lr: 0.1 });
    const sched = new S.StepLR(opt, { stepSize: 2 });
    const cosine = new S.CosineAnnealingLR(new SGD([tg.zeros(1).requiresGrad_()]), { TMax: 3 });
    expect(() => sched.loadStateDict(cosine.stateDict())).toThrow('StepLR.loadStateDict: unexpected key "TMax" (not a field of StepLR)');
    expect(() => sched.loadStateDict({ lastEpoch: '3' })).toThrow('StepLR.loadStateDict: "lastEpoch" must be number, got string');
    expect(() => sched.loadStateDict({ optimizer: null })).toThrow('unexpected key "optimizer"');
    expect(sched.lastEpoch).toBe(0);
    const plateau = new S.ReduceLROnPlateau(opt);
    expect(() => plateau.loadStateDict({ mode: 'up' })).toThrow('mode up is unknown!');
  });
});

describe('scheduler behaviour', () => {
  it('records initialLr in the groups and keeps one already there', () => {
    const opt = new SGD([{ params: [tg.zeros(1).requiresGrad_()] }, { params: [tg.zeros(1).requiresGrad_()], lr: 0.5 }], { lr: 0.1 });
    new S.ExponentialLR(opt, { gamma: 0.5 });
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.5]);
    const second = new S.StepLR(opt, { stepSize: 1 });
    expect(second.baseLrs).toEqual([0.1, 0.5]);
  });

  it('chains: two schedulers on one optimizer multiply their factors, as in PyTorch', () => {
    const opt = new SGD([tg.zeros(1).requiresGrad_()], { lr: 0.1 });
    const a = new S.ExponentialLR(opt, { gamma: 0.9 });
    const b = new S.StepLR(opt, { stepSize: 2, gamma: 0.5 });
    for (let i = 0; i < 2; i++) {
      a.step();
      b.step();
    }
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.1 * 0.81 * 0.5, 15);
  });

  it('resumes from lastEpoch with the initialLr in the groups', () => {
    const opt = new SGD([tg.zeros(1).requiresGrad_()], { lr: 0.05 });
    opt.paramGroups[0].initialLr = 0.1;
    const sched = new S.CosineAnnealingLR(opt, { TMax: 10, etaMin: 0.001, lastEpoch: 3 });
    expect(sched.lastEpoch).toBe(4);
    expect(opt.paramGroups[0].lr).toBeCloseTo(0.001 + ((0.1 - 0.001) * (1 + Math.cos((4 * Math.PI) / 10))) / 2, 15);
    const fresh = new SGD([tg.zeros(1).requiresGrad_()], { lr: 0.05 });
    expect(() => new S.StepLR(fresh, { stepSize: 2, lastEpoch: 3 })).toThrow("param 'initialLr' is not specified in paramGroups[0] when resuming an optimizer");
    expect(() => new S.OneCycleLR(fresh, { maxLr: 1, totalSteps: 10, lastEpoch: 3 })).toThrow("param 'initialLr' is not specified in paramGroups[0] when resuming an optimizer");
  });

  it('OneCycleLR refuses to step past totalSteps', () => {
    const opt = new SGD([tg.zeros(1).requiresGrad_()], { lr: 0.1, momentum: 0.9 });
    const sched = new S.OneCycleLR(opt, { maxLr: 1, epochs: 2, stepsPerEpoch: 3 });
    for (let i = 0; i < 6; i++) sched.step();
    expect(() => sched.step()).toThrow('Tried to step 8 times. The specified number of total steps is 6');
  });

  it('ReduceLROnPlateau takes a one-element tensor as its metric, and getLastLr before any step', () => {
    const opt = new Adam([tg.zeros(1).requiresGrad_()], { lr: 0.1 });
    const sched = new S.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    expect(sched.getLastLr()).toEqual([0.1]);
    sched.step(tg.tensor(1));
    sched.step(tg.tensor([2]));
    expect(sched.getLastLr()).toEqual([0.05]);
    expect(sched.lastEpoch).toBe(2);
  });
});

describe('scheduler errors', () => {
  const sgd = () => new SGD([tg.zeros(1).requiresGrad_()], { lr: 0.1 });

  it("bad options, in PyTorch's words where it has them", () => {
    expect(() => new S.StepLR({} as tg.optim.Optimizer, { stepSize: 1 })).toThrow('Object is not an Optimizer');
    expect(() => new S.StepLR(sgd(), { stepSize: 0 })).toThrow('StepLR: expected a positive integer stepSize, got number 0');
    expect(() => new S.StepLR(sgd(), { stepSize: 2, step_size: 3 } as unknown as tg.optim.lrScheduler.StepLROptions)).toThrow('StepLR: unknown option "step_size"');
    expect(() => new S.StepLR(sgd(), { stepSize: 2, lastEpoch: -2 })).toThrow('StepLR: lastEpoch must be an integer >= -1, got number -2');
    expect(() => new S.MultiStepLR(sgd(), { milestones: [1.5] })).toThrow('MultiStepLR: milestones must be an array of integers');
    expect(() => new S.ExponentialLR(sgd(), {} as tg.optim.lrScheduler.ExponentialLROptions)).toThrow('ExponentialLR: gamma must be a number, got undefined');
    expect(() => new S.CosineAnnealingLR(sgd(), { TMax: 0 })).toThrow('CosineAnnealingLR: TMax must be positive, got 0');
    expect(() => new S.LinearLR(sgd(), { startFactor: 0 })).toThrow('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    expect(() => new S.LinearLR(sgd(), { endFactor: 1.5 })).toThrow('Ending multiplicative factor expected to be between 0 and 1.');
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 1 })).toThrow('You must define either totalSteps OR (epochs AND stepsPerEpoch)');
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 0 })).toThrow('Expected positive integer totalSteps, but got number 0');
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 1, epochs: 2, stepsPerEpoch: 1.5 })).toThrow('OneCycleLR: expected a positive integer stepsPerEpoch');
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, pctStart: 1.5 })).toThrow('Expected float between 0 and 1 pctStart, but got 1.5');
    expect(() => new S.OneCycleLR(sgd(), { maxLr: 1, totalSteps: 10, annealStrategy: 'cosine' as 'cos' })).toThrow("annealStrategy must by one of 'cos' or 'linear', instead got string cosine");
    expect(() => new S.OneCycleLR(sgd(), { maxLr: [1, 2], totalSteps: 10 })).toThrow('expected 1 values for maxLr, got 2');
    expect(() => new S.OneCycleLR(new Adagrad([tg.zeros(1).requiresGrad_()]), { maxLr: 1, totalSteps: 10 })).toThrow(
      'optimizer must support momentum with `cycleMomentum` option enabled',
    );
    expect(() => new S.OneCycleLR(new Adagrad([tg.zeros(1).requiresGrad_()]), { maxLr: 1, totalSteps: 10, cycleMomentum: false })).not.toThrow();
    expect(() => new S.ReduceLROnPlateau(sgd(), { factor: 1 })).toThrow('Factor should be < 1.0.');
    expect(() => new S.ReduceLROnPlateau(sgd(), { mode: 'up' as 'min' })).toThrow('mode up is unknown!');
    expect(() => new S.ReduceLROnPlateau(sgd(), { thresholdMode: 'ratio' as 'rel' })).toThrow('threshold mode ratio is unknown!');
    expect(() => new S.ReduceLROnPlateau(sgd(), { minLr: [0, 0] })).toThrow('expected 1 min_lrs, got 2');
    expect(() => new S.ReduceLROnPlateau(sgd()).step('1' as unknown as number)).toThrow('ReduceLROnPlateau.step: metric must be a number or a Tensor');
  });
});
