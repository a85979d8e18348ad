// The autograd engine: graph walking, accumulation, grad mode, retained graphs, version checks.
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

const leaf = (values: number[], shape = [values.length]) => tg.tensor(values).reshape(shape).detach().requiresGrad_();

describe('backward', () => {
  it('accumulates into leaves across uses and across calls', () => {
    const x = leaf([1, 2, 3]);
    const y = tg.add(tg.mul(x, x), tg.mul(x, 3)).sum(); // d/dx = 2x + 3
    y.backward(null, { retainGraph: true });
    expect(x.grad!.toArray()).toEqual([5, 7, 9]);
    y.backward();
    expect(x.grad!.toArray()).toEqual([10, 14, 18]);
  });

  it('shared gradients are not aliased between leaves', () => {
    const a = leaf([1, 2]);
    const b = leaf([3, 4]);
    tg.add(a, b).sum().backward();
    a.grad!.add_(10);
    expect(b.grad!.toArray()).toEqual([1, 1]);
  });

  it('needs a gradient for non-scalar outputs, and checks its shape', () => {
    const x = leaf([1, 2]);
    const y = x.mul(2);
    expect(() => y.backward()).toThrow('grad can be implicitly created only for scalar outputs');
    expect(() => y.backward(tg.ones(3))).toThrow(/Mismatch in shape/);
    y.backward(tg.tensor([1, 10]));
    expect(x.grad!.toArray()).toEqual([2, 20]);
  });

  it('refuses tensors outside the graph', () => {
    expect(() => tg.tensor([1]).sum().backward()).toThrow('element 0 of tensors does not require grad and does not have a gradFn');
  });

  it('frees the graph unless retainGraph is set', () => {
    const x = leaf([1, 2]);
    const y = x.exp().sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*retainGraph: true/s);
  });

  it('retainGrad keeps a non-leaf gradient', () => {
    const x = leaf([1, 2]);
    const h = x.mul(3).retainGrad();
    h.mul(h).sum().backward();
    expect(h.grad!.toArray()).toEqual([6, 12]);
    expect(x.grad!.toArray()).toEqual([18, 36]);
  });

  it('catches a saved tensor modified in place', () => {
    const x = leaf([1, 2]);
    const h = x.mul(2);
    const y = h.mul(h).sum();
    h.add_(1);
    expect(() => y.backward()).toThrow(/modified by an inplace operation: \[float32 tensor of shape \[2\]\].*is at version 1; expected version 0/);
  });

  it('records in-place ops on non-leaves and refuses them on leaves', () => {
    const x = leaf([1, 2]);
    expect(() => x.mul_(2)).toThrow('a leaf Variable that requires grad is being used in an in-place operation.');
    const h = x.mul(2);
    h.mul_(x); // h = 2x * x
    h.sum().backward();
    expect(x.grad!.toArray()).toEqual([4, 8]);
    tg.noGrad(() => x.mul_(2));
    expect(x.toArray()).toEqual([2, 4]);
  });

  it('views share storage and versions', () => {
    const x = tg.zeros(2, 3);
    const v = x.view(6);
    v.add_(1);
    expect(x.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
    expect(x._version).toBe(1);
  });
});

describe('grad mode', () => {
  it('noGrad and enableGrad scope recording, sync and async', async () => {
    const x = leaf([1]);
    expect(tg.noGrad(() => x.mul(2)).requiresGrad).toBe(false);
    expect(tg.noGrad(() => tg.enableGrad(() => x.mul(2))).requiresGrad).toBe(true);
    const inside = tg.noGrad(async () => {
      await new Promise((r) => setTimeout(r, 5));
      return x.mul(2);
    });
    const outside = x.mul(2); // runs while the async scope above is suspended
    expect(outside.requiresGrad).toBe(true);
    expect((await inside).requiresGrad).toBe(false);
    expect(tg.isGradEnabled()).toBe(true);
    tg.setGradEnabled(false);
    try {
      expect(x.mul(2).requiresGrad).toBe(false);
    } finally {
      tg.setGradEnabled(true);
    }
  });

  it('detach leaves the graph but shares storage', () => {
    const x = leaf([1, 2]);
    const d = x.mul(2).detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    const e = x.detach();
    e.add_(1);
    expect(x.toArray()).toEqual([2, 3]);
  });

  it('only float tensors require grad, and only leaves have it switched off', () => {
    expect(() => tg.tensor([1], { dtype: 'int32' }).requiresGrad_()).toThrow(/only Tensors of floating point dtype/);
    const y = leaf([1]).mul(2);
    expect(() => (y.requiresGrad = false)).toThrow(/leaf variables/);
    expect(y.isLeaf).toBe(false);
    expect(String(y)).toBe('tensor([2.], gradFn=<MulBackward0>)');
    expect(String(leaf([1]))).toBe('tensor([1.], requiresGrad=true)');
  });
});

describe('tg.grad', () => {
  it('returns gradients without touching .grad', () => {
    const x = leaf([1, 2]);
    const h = x.mul(x);
    const [gx, gh] = tg.grad(h.sum(), [x, h]);
    expect(gx!.toArray()).toEqual([2, 4]);
    expect(gh!.toArray()).toEqual([1, 1]);
    expect(x.grad).toBeNull();
  });

  it('reports unused inputs unless allowed', () => {
    const x = leaf([1]);
    const z = leaf([1]);
    expect(() => tg.grad(x.mul(2).sum(), [z])).toThrow(/appears to not have been used/);
    expect(tg.grad(x.mul(2).sum(), [x, z], [], { allowUnused: true })[1]).toBeNull();
  });

  it('gives higher-order gradients with createGraph', () => {
    const x = leaf([2, 3]);
    const y = x.pow(3).sum(); // dy/dx = 3x^2, d2y/dx2 = 6x
    const [g] = tg.grad(y, [x], [], { createGraph: true });
    expect(g!.toArray()).toEqual([12, 27]);
    const [gg] = tg.grad(g!.sum(), [x]);
    expect(gg!.toArray()).toEqual([12, 18]);
    const s = leaf([0.5]);
    const [ds] = tg.grad(tg.sigmoid(s).sum(), [s], [], { createGraph: true });
    const [dds] = tg.grad(ds!.sum(), [s]);
    const sig = 1 / (1 + Math.exp(-0.5));
    expect(dds!.item()).toBeCloseTo(sig * (1 - sig) * (1 - 2 * sig), 6);
  });
});

describe('the from-scratch regression tutorial', () => {
  it('Linear(2,3) -> ReLU -> Linear(3,1), MSE, plain steps at lr 0.01: loss below 0.01 within 1000 steps', () => {
    tg.manualSeed(0);
    const uniform = (shape: number[], bound: number) => tg.rand(shape).mul(2 * bound).sub(bound).detach().requiresGrad_();
    const w1 = uniform([3, 2], 1 / Math.sqrt(2));
    const b1 = uniform([3], 1 / Math.sqrt(2));
    const w2 = uniform([1, 3], 1 / Math.sqrt(3));
    const b2 = uniform([1], 1 / Math.sqrt(3));
    const x = tg.tensor([[1, 2], [3, 4]]);
    const y = tg.tensor([[5], [7]]);
    let loss = Infinity;
    let steps = 0;
    for (; steps < 1000 && loss >= 0.01; steps++) {
      const out = tg.linear(tg.linear(x, w1, b1).relu(), w2, b2);
      const l = tg.mseLoss(out, y);
      loss = l.item();
      for (const p of [w1, b1, w2, b2]) p.grad = null;
      l.backward();
      tg.noGrad(() => {
        for (const p of [w1, b1, w2, b2]) p.sub_(p.grad!.mul(0.01));
      });
    }
    expect(loss).toBeLessThan(0.01);
    expect(steps).toBeLessThanOrEqual(1000);
  });
});
