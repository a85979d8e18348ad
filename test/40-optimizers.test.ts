// tg.optim optimizers: several steps of each against torch.optim (scripts/fixtures/optim_fixtures.py)
// on a three-tensor model in two groups, their state, stateDict round trips (bit for bit), the
// base class's behaviour (groups, skipping, zeroGrad, closures, versions), weight decay as an L2
// penalty, and the errors.
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { expectClose } from './helpers/reference';
import { bits, expectSameBits, fixtures, fromFixture, makeOptimizer, makeParams, setGrads, type OptimizerName } from './helpers/optim';

const { SGD, Adam, AdamW, RMSprop, Adagrad } = tg.optim;
const leaf = (values: number[]) => tg.tensor(values).requiresGrad_();
/** A stateDict as JSON, tensors as their values. */
const asJson = (sd: object) => JSON.stringify(sd, (_, v: unknown) => (v instanceof tg.Tensor ? Array.from(v._data) : v));

describe('optimizers against PyTorch fixtures', () => {
  it('cover every optimizer, missing gradients and scheduled hyperparameters', () => {
    const fs = fixtures.optimizers;
    expect(new Set(fs.map((f) => f.optimizer))).toEqual(new Set(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad']));
    expect(fs.every((f) => f.grads.some((step) => step.includes(null)) || f.schedule)).toBe(true);
    expect(fs.filter((f) => f.schedule).map((f) => f.optimizer)).toEqual(['SGD', 'Adam']);
  });

  for (const f of fixtures.optimizers) {
    it(`${f.optimizer} ${f.name}: ${f.grads.length} steps and the state after them`, () => {
      const { params, opt, sched } = fromFixture(f);
      f.grads.forEach((grads, k) => {
        setGrads(params, grads);
        if (f.hyper) {
          opt.paramGroups.forEach((g, i) => {
            const h = f.hyper![k][i];
            expect(g.lr).toBeCloseTo(h.lr, 14);
            const live = g as unknown as { momentum?: number; betas?: number[] };
            if (h.momentum !== undefined) expect(live.momentum).toBeCloseTo(h.momentum, 14);
            if (h.betas !== undefined) h.betas.forEach((b, j) => expect(live.betas![j]).toBeCloseTo(b, 14));
          });
        }
        const gradBits = params.map((p) => (p.grad ? bits(p.grad) : null));
        const versions = params.map((p) => p._version);
        opt.step();
        sched?.step();
        params.forEach((p, i) => {
          expectClose(p._data, f.after[k][i], 1e-5, 1e-6);
          expect(p._version, `version of parameter ${i}`).toBe(versions[i] + (grads[i] === null ? 0 : 1));
          if (p.grad) expect(bits(p.grad)).toEqual(gradBits[i]); // the gradient is only read
        });
      });
      const { state } = opt.stateDict();
      expect(Object.keys(state).sort()).toEqual(Object.keys(f.state).sort());
      for (const [index, expected] of Object.entries(f.state)) {
        const actual = (state as Record<string, Record<string, tg.Tensor | number>>)[index];
        expect(Object.keys(actual).sort(), `state keys of parameter ${index}`).toEqual(Object.keys(expected).sort());
        for (const [key, value] of Object.entries(expected)) {
          const got = actual[key];
          if (typeof value === 'number') expect(got, key).toBe(value);
          else expectClose((got as tg.Tensor)._data, value, 1e-5, 1e-6);
        }
      }
    });
  }
});

describe('stateDict', () => {
  const names: OptimizerName[] = ['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad'];

  for (const f of fixtures.optimizers) {
    it(`${f.name}: saved after 2 steps and loaded into a fresh optimizer, the run continues bit for bit`, () => {
      const full = fromFixture(f);
      const part = fromFixture(f);
      for (let k = 0; k < 2; k++) {
        for (const run of [full, part]) {
          setGrads(run.params, f.grads[k]);
          run.opt.step();
          run.sched?.step();
        }
      }
      const optState = part.opt.stateDict();
      const schedState = part.sched?.stateDict();
      const resumed = fromFixture(f);
      resumed.params.forEach((p, i) => p._data.set(part.params[i]._data));
      resumed.opt.loadStateDict(optState);
      if (schedState) resumed.sched!.loadStateDict(schedState);
      for (let k = 2; k < f.grads.length; k++) {
        for (const run of [full, resumed]) {
          setGrads(run.params, f.grads[k]);
          run.opt.step();
          run.sched?.step();
        }
        expectSameBits(resumed.params, full.params);
      }
      expect(resumed.opt.paramGroups.map(({ params: _, ...o }) => o)).toEqual(full.opt.paramGroups.map(({ params: _, ...o }) => o));
    });
  }

  it('is a copy: later steps change neither the saved state nor what was loaded from it', () => {
    for (const name of names) {
      const p = leaf([1, -2, 3]);
      const options = name === 'SGD' ? { lr: 0.1, momentum: 0.9 } : { lr: 0.1 };
      const opt = makeOptimizer(name, [p], options);
      p.grad = tg.tensor([0.5, 0.25, -1]);
      opt.step();
      const sd = opt.stateDict();
      const saved = asJson(sd);
      opt.step();
      opt.paramGroups[0].lr = 7;
      expect(asJson(sd), name).toBe(saved);
      const other = makeOptimizer(name, [leaf([0, 0, 0])], options);
      other.loadStateDict(sd);
      const [buffers] = [...other.state.values()];
      const savedBuffers = Object.values(sd.state[0]).filter((v): v is tg.Tensor => v instanceof tg.Tensor);
      for (const b of Object.values(buffers as object)) {
        if (b instanceof tg.Tensor) expect(savedBuffers.every((s) => s._data !== b._data)).toBe(true);
      }
    }
  });

  it("has PyTorch's layout: state keyed by index, groups with params as indices and every option", () => {
    const [a, b, c] = [leaf([1, 2]), leaf([3]), leaf([4, 5])];
    const opt = new Adam([{ params: [a, b] }, { params: [c], lr: 0.1, amsgrad: true }], { betas: [0.8, 0.9] });
    b.grad = tg.tensor([1]);
    c.grad = tg.tensor([1, -1]);
    opt.step();
    const sd = opt.stateDict();
    expect(sd.paramGroups).toEqual([
      { lr: 1e-3, betas: [0.8, 0.9], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, params: [0, 1] },
      { lr: 0.1, betas: [0.8, 0.9], eps: 1e-8, weightDecay: 0, amsgrad: true, maximize: false, params: [2] },
    ]);
    expect(Object.keys(sd.state)).toEqual(['1', '2']); // a had no gradient: no state
    expect(Object.keys(sd.state[1])).toEqual(['step', 'expAvg', 'expAvgSq']);
    expect(Object.keys(sd.state[2])).toEqual(['step', 'expAvg', 'expAvgSq', 'maxExpAvgSq']);
    expect(sd.state[2].step).toBe(1);
  });

  it('Adagrad has state from the start, as in PyTorch', () => {
    const p = leaf([1, 2]);
    const opt = new Adagrad([p], { initialAccumulatorValue: 0.5 });
    const { state } = opt.stateDict();
    expect(state[0].step).toBe(0);
    expect(state[0].sum.toArray()).toEqual([0.5, 0.5]);
    const q = leaf([3]);
    opt.addParamGroup({ params: [q], initialAccumulatorValue: 2 });
    expect(opt.stateDict().state[1].sum.toArray()).toEqual([2]);
  });

  it('brings back the options of the groups, initialLr included', () => {
    const p = leaf([1]);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    new tg.optim.lrScheduler.StepLR(opt, { stepSize: 2 });
    opt.paramGroups[0].lr = 0.01;
    const sd = opt.stateDict();
    const fresh = new SGD([leaf([1])], { lr: 0.5 });
    fresh.loadStateDict(sd);
    expect(fresh.paramGroups[0]).toMatchObject({ lr: 0.01, momentum: 0.9, initialLr: 0.1 });
  });
});

describe('the optimizer base', () => {
  it('fills each group from the defaults and keeps its own options', () => {
    const [a, b] = [leaf([1]), leaf([2])];
    const opt = new SGD([{ params: [a] }, { params: b, lr: 0.5, nesterov: true }], { lr: 0.1, momentum: 0.9 });
    expect(opt.paramGroups[0]).toMatchObject({ lr: 0.1, momentum: 0.9, nesterov: false, params: [a] });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.5, momentum: 0.9, nesterov: true, params: [b] });
    expect(opt.defaults).toEqual({ lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    const c = leaf([3]);
    opt.addParamGroup({ params: [c], momentum: 0 });
    expect(opt.paramGroups[2]).toMatchObject({ lr: 0.1, momentum: 0, params: [c] });
  });

  it("has PyTorch's defaults", () => {
    const p = () => [leaf([1])];
    expect(new SGD(p()).defaults).toEqual({ lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
    expect(new Adam(p()).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false });
    expect(new AdamW(p()).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false });
    expect(new RMSprop(p()).defaults).toEqual({ lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
    expect(new Adagrad(p()).defaults).toEqual({ lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
  });

  it('groups do not share arrays with the defaults or each other', () => {
    const opt = new Adam([{ params: [leaf([1])] }, { params: [leaf([2])] }]);
    opt.paramGroups[0].betas[0] = 0.5;
    expect(opt.paramGroups[1].betas[0]).toBe(0.9);
    expect(opt.defaults.betas[0]).toBe(0.9);
  });

  it('skips parameters without a gradient: no update, no state, no version bump', () => {
    const [a, b] = [leaf([1, 2]), leaf([3])];
    const opt = new Adam([a, b], { lr: 0.1 });
    a.grad = tg.tensor([1, 1]);
    opt.step();
    expect(b.toArray()).toEqual([3]);
    expect(b._version).toBe(0);
    expect(opt.state.has(b)).toBe(false);
    expect(a._version).toBe(1);
    expect((opt.state.get(a) as tg.optim.AdamState).step).toBe(1);
  });

  it('runs outside the graph and bumps the versions of the parameter and its buffers', () => {
    const p = leaf([1, 2]);
    const saved = p.mul(p).sum(); // saves p for its backward
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
    p.grad = tg.tensor([1, 1]);
    opt.step();
    expect(p.gradFn).toBeNull();
    expect(p.requiresGrad).toBe(true);
    expect((opt.state.get(p) as tg.optim.SGDState).momentumBuffer!._version).toBe(1);
    expect(() => saved.backward()).toThrow(/modified by an inplace operation/);
  });

  it('reads lr and the other options live, as schedulers change them', () => {
    const p = leaf([1]);
    const opt = new SGD([p], { lr: 0.1 });
    p.grad = tg.tensor([1]);
    opt.step();
    opt.paramGroups[0].lr = 1;
    opt.step();
    expect(p.item()).toBeCloseTo(1 - 0.1 - 1, 6);
  });

  it('zeroGrad sets gradients to null by default, or to zeros in place', () => {
    const [a, b] = [leaf([1, 2]), leaf([3])];
    const opt = new SGD([a, b]);
    a.grad = tg.tensor([5, 6]);
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    const g = tg.tensor([5, 6]);
    a.grad = g;
    opt.zeroGrad(false);
    expect(a.grad).toBe(g);
    expect(g.toArray()).toEqual([0, 0]);
    expect(b.grad).toBeNull();
    // A gradient made with createGraph leaves the graph when zeroed.
    const x = leaf([2]);
    const [gx] = tg.grad([x.mul(x).sum()], [x], [], { createGraph: true });
    expect(gx!.gradFn).not.toBeNull();
    x.grad = gx;
    const opt2 = new SGD([x]);
    opt2.zeroGrad(false);
    expect(x.grad!.gradFn).toBeNull();
    expect(x.grad!.toArray()).toEqual([0]);
  });

  it('step(closure) evaluates the closure with gradients on and returns its loss', () => {
    const p = leaf([3]);
    const opt = new SGD([p], { lr: 0.25 });
    const closure = () => {
      opt.zeroGrad();
      const loss = p.mul(p).sum();
      loss.backward();
      return loss;
    };
    const loss = tg.noGrad(() => opt.step(closure));
    expect(loss!.item()).toBe(9);
    expect(p.item()).toBe(3 - 0.25 * 6);
    expect(opt.step()).toBeUndefined();
  });

  it('the PyTorch loop: forward, backward, step, zeroGrad', () => {
    const p = leaf([3, -4]);
    const opt = new SGD([p], { lr: 0.1 });
    for (let i = 0; i < 3; i++) {
      p.mul(p).sum().backward();
      opt.step();
      opt.zeroGrad();
    }
    expectClose(p._data, [3 * 0.8 ** 3, -4 * 0.8 ** 3], 1e-6, 1e-7);
  });

  it('weight decay is the L2 penalty (wd / 2) * |w|^2 in the loss: one SGD step gives the same parameters', () => {
    const x = tg.tensor([[1, 2], [0.5, -1], [-2, 0.25]]);
    const y = tg.tensor([[1], [0], [2]]);
    const w0 = [[0.3], [-0.7]];
    const wd = 0.2;
    const step = (penalty: boolean) => {
      const w = tg.tensor(w0).requiresGrad_();
      const opt = new SGD([w], { lr: 0.5, weightDecay: penalty ? 0 : wd });
      let loss = tg.mseLoss(x.matmul(w), y);
      if (penalty) loss = loss.add(w.square().sum().mul(wd / 2));
      loss.backward();
      opt.step();
      return w;
    };
    const explicit = step(true);
    const decayed = step(false);
    expectClose(decayed._data, explicit._data, 1e-6, 1e-7);
    expect(decayed.toArray()).not.toEqual(w0); // the step did something
  });
});

describe('optimizer errors', () => {
  it("bad options, in PyTorch's words", () => {
    const p = () => [leaf([1])];
    expect(() => new SGD(p(), { lr: -0.1 })).toThrow('Invalid learning rate: -0.1');
    expect(() => new SGD(p(), { momentum: -1 })).toThrow('Invalid momentum value: -1');
    expect(() => new SGD(p(), { weightDecay: -1 })).toThrow('Invalid weightDecay value: -1');
    expect(() => new SGD(p(), { nesterov: true })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => new SGD(p(), { nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow('Nesterov momentum requires a momentum and zero dampening');
    expect(() => new Adam(p(), { eps: -1e-8 })).toThrow('Invalid epsilon value: -1e-8');
    expect(() => new Adam(p(), { betas: [1, 0.999] })).toThrow('Invalid beta parameter at index 0: 1');
    expect(() => new AdamW(p(), { betas: [0.9, -0.1] })).toThrow('Invalid beta parameter at index 1: -0.1');
    expect(() => new Adam(p(), { betas: [0.9] as unknown as [number, number] })).toThrow('Adam: betas must be an array of two numbers');
    expect(() => new AdamW(p(), { weightDecay: -1 })).toThrow('Invalid weightDecay value: -1');
    expect(() => new RMSprop(p(), { alpha: -0.5 })).toThrow('Invalid alpha value: -0.5');
    expect(() => new RMSprop(p(), { momentum: -0.5 })).toThrow('Invalid momentum value: -0.5');
    expect(() => new Adagrad(p(), { lrDecay: -1 })).toThrow('Invalid lrDecay value: -1');
    expect(() => new Adagrad(p(), { initialAccumulatorValue: -1 })).toThrow('Invalid initialAccumulatorValue value: -1');
    expect(() => new Adagrad(p(), { lr: NaN })).toThrow('Adagrad: lr must be a number, got NaN');
    expect(() => new SGD(p(), { lr: '0.1' as unknown as number })).toThrow('SGD: lr must be a number, got string 0.1');
    expect(() => new SGD(p(), { maximize: 1 as unknown as boolean })).toThrow('SGD: maximize must be a boolean');
    expect(() => new SGD(p(), { weight_decay: 0.1 } as unknown as tg.optim.SGDOptions)).toThrow('SGD: unknown option "weight_decay"');
    // A group's own options are checked too.
    expect(() => new SGD([{ params: p(), lr: -1 }])).toThrow('Invalid learning rate: -1');
    expect(() => new SGD(p()).addParamGroup({ params: p(), momentm: 0.9 } as unknown as tg.optim.ParamGroupInput<tg.optim.SGDOptions>)).toThrow(
      'unknown option "momentm"',
    );
  });

  it('bad parameters: not tensors, not float32, not leaves, repeated, or none', () => {
    expect(() => new SGD(leaf([1]) as unknown as tg.Tensor[])).toThrow('params argument given to the optimizer should be an iterable of Tensors or param groups, but got Tensor');
    expect(() => new SGD([])).toThrow('optimizer got an empty parameter list');
    expect(() => new SGD([tg.tensor([1, 2], { dtype: 'int32' })])).toThrow('SGD: parameters must be float32 tensors, but parameter 0 of the group is int32');
    expect(() => new SGD([leaf([1]).mul(2)])).toThrow("can't optimize a non-leaf Tensor (parameter 0 of the group was made by MulBackward0");
    expect(() => new SGD([leaf([1]), [1, 2]] as unknown as tg.Tensor[])).toThrow('optimizer can only optimize Tensors, but parameter 1 of the group is an array of length 2');
    expect(() => new SGD([[1, 2]] as unknown as tg.Tensor[])).toThrow('SGD: a param group must be an object with params, got an array of length 2');
    const p = leaf([1]);
    expect(() => new SGD([p, p])).toThrow('a parameter group contains the same parameter twice');
    expect(() => new SGD([{ params: [p] }, { params: [p] }])).toThrow('some parameters appear in more than one parameter group');
    expect(() => new SGD([p]).addParamGroup({ params: [p] })).toThrow('some parameters appear in more than one parameter group');
  });

  it('gradients of the wrong shape or dtype, and async closures', () => {
    const p = leaf([1, 2]);
    const opt = new SGD([p], { lr: 0.1 });
    p.grad = tg.tensor([1, 2, 3]);
    expect(() => opt.step()).toThrow('SGD.step: the gradient of parameter 0 has shape [3] but the parameter has shape [2]');
    p.grad = tg.tensor([1, 2], { dtype: 'int32' });
    expect(() => opt.step()).toThrow('SGD.step: the gradient of parameter 0 must be a float32 Tensor, got int32');
    expect(p.toArray()).toEqual([1, 2]);
    expect(() => opt.step(async () => 1)).toThrow('SGD.step: the closure returned a Promise');
  });

  it('loading a stateDict that does not fit, leaving the optimizer as it was', () => {
    const make = () => {
      const [a, b, c] = [leaf([1, 2]), leaf([3]), leaf([4, 5, 6])];
      const opt = new Adam([{ params: [a, b] }, { params: [c], lr: 0.5 }]);
      [a, b, c].forEach((p) => (p.grad = tg.onesLike(p)));
      opt.step();
      return opt;
    };
    const sd = make().stateDict();
    const target = make();
    const before = asJson(target.stateDict());
    const oneGroup = new Adam([leaf([1, 2]), leaf([3]), leaf([4, 5, 6])]);
    expect(() => oneGroup.loadStateDict(sd)).toThrow('loaded state dict has a different number of parameter groups (2, the optimizer has 1)');
    const sizes = new Adam([{ params: [leaf([1, 2])] }, { params: [leaf([3]), leaf([4, 5, 6])] }]);
    expect(() => sizes.loadStateDict(sd)).toThrow("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
    const shapes = new Adam([{ params: [leaf([1, 2]), leaf([3])] }, { params: [leaf([4, 5])] }]);
    expect(() => shapes.loadStateDict(sd)).toThrow('Adam.loadStateDict: state of parameter 2: "expAvg" has shape [3] but the parameter has shape [2]');
    const sgd = new SGD([{ params: [leaf([1, 2]), leaf([3])] }, { params: [leaf([4, 5, 6])] }], { momentum: 0.9 });
    expect(() => sgd.loadStateDict(sd as unknown as tg.optim.OptimizerStateDict<tg.optim.SGDOptions>)).toThrow(/unknown option "betas"/);
    const badState = { ...sd, state: { ...sd.state, 0: { step: 1, expAvg: sd.state[0].expAvg } } };
    expect(() => target.loadStateDict(badState as unknown as typeof sd)).toThrow('Adam.loadStateDict: state of parameter 0 lacks "expAvgSq"');
    const foreign = { ...sd, state: { 0: { momentumBuffer: tg.zeros(2) } } };
    expect(() => target.loadStateDict(foreign as unknown as typeof sd)).toThrow('state of parameter 0 has "momentumBuffer", which Adam does not keep');
    const stray = { ...sd, state: { 9: sd.state[0] } };
    expect(() => target.loadStateDict(stray)).toThrow('state for parameter 9, which none of its paramGroups lists');
    const { weightDecay: _, ...noDecay } = sd.paramGroups[0];
    expect(() => target.loadStateDict({ ...sd, paramGroups: [noDecay as typeof sd.paramGroups[0], sd.paramGroups[1]] })).toThrow('paramGroups[0] lacks "weightDecay"');
    expect(() => target.loadStateDict({ ...sd, paramGroups: [{ ...sd.paramGroups[0], lr: -1 }, sd.paramGroups[1]] })).toThrow('Invalid learning rate: -1');
    expect(() => target.loadStateDict(null as unknown as typeof sd)).toThrow('Adam.loadStateDict: expected an object with state and paramGroups, got null');
    expect(asJson(target.stateDict())).toBe(before);
  });
});
