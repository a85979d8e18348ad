// tg.optim.clipGradNorm_ and clipGradValue_: against torch.nn.utils.clip_grad_norm_ for norm types
// 2, 1, inf and 3 (scripts/fixtures/optim_fixtures.py), and their edge cases.
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { expectClose } from './helpers/reference';
import { fixtures } from './helpers/optim';

const { clipGradNorm_, clipGradValue_ } = tg.optim;

/** Parameters of the fixtures' shapes holding the given gradients. */
function withGrads(grads: readonly (number[] | null)[]): tg.Tensor[] {
  return grads.map((g, i) => {
    const p = tg.zeros(fixtures.shapes[i]).requiresGrad_();
    if (g) p.grad = tg.tensor(g).reshape(fixtures.shapes[i]);
    return p;
  });
}

describe('clipGradNorm_ against PyTorch', () => {
  it('covers norm types 2, 1, inf and 3, clipping and not', () => {
    expect(fixtures.clipGradNorm.map((c) => c.normType)).toEqual([2, 1, 'inf', 3, 2]);
    expect(fixtures.clipGradNorm.some((c) => c.total < c.maxNorm)).toBe(true);
  });

  for (const c of fixtures.clipGradNorm) {
    it(`norm type ${c.normType}, maxNorm ${c.maxNorm}`, () => {
      const params = withGrads(c.grads);
      const normType = c.normType === 'inf' ? Infinity : c.normType;
      const total = clipGradNorm_(params, c.maxNorm, normType);
      expect(total.shape).toEqual([]);
      expect(total.dtype).toBe('float32');
      expectClose([total.item()], [c.total], 1e-6, 0);
      params.forEach((p, i) => expectClose(p.grad!._data, c.after[i], 1e-6, 1e-7));
      // Gradients are scaled in place only when clipped, so their versions tell.
      const clipped = c.total >= c.maxNorm;
      params.forEach((p) => expect(p.grad!._version).toBe(clipped ? 1 : 0));
    });
  }
});

describe('clipGradNorm_', () => {
  it('takes one tensor, skips parameters without a gradient, and gives 0 when none has one', () => {
    const p = tg.zeros(2).requiresGrad_();
    p.grad = tg.tensor([3, 4]);
    expect(clipGradNorm_(p, 1).item()).toBeCloseTo(5, 6);
    expectClose(p.grad._data, [0.6, 0.8], 1e-6, 0);
    const q = tg.zeros(3).requiresGrad_();
    expect(clipGradNorm_([q, p], 10).item()).toBeCloseTo(1, 6);
    expect(clipGradNorm_([q], 1).item()).toBe(0);
    expect(clipGradNorm_([], 1).toArray()).toBe(0);
  });

  it('errorIfNonfinite throws on a NaN or infinite norm; otherwise the gradients are scaled by it', () => {
    const p = tg.zeros(2).requiresGrad_();
    p.grad = tg.tensor([NaN, 1]);
    expect(() => clipGradNorm_([p], 1, 2, true)).toThrow('The total norm of order 2 for gradients from `parameters` is non-finite, so it cannot be clipped.');
    expect(p.grad.toArray()).toEqual([NaN, 1]);
    expect(Number.isNaN(clipGradNorm_([p], 1).item())).toBe(true);
    expect(p.grad.toArray()).toEqual([NaN, NaN]); // as PyTorch: multiplied by a NaN coefficient
    p.grad = tg.tensor([Infinity, 1]);
    expect(() => clipGradNorm_([p], 1, Infinity, true)).toThrow('The total norm of order Infinity');
  });

  it('changes a createGraph gradient in place, outside its graph', () => {
    const x = tg.tensor([3, 4]).requiresGrad_();
    const [g] = tg.grad([x.square().sum().mul(0.5)], [x], [], { createGraph: true });
    expect(g!.gradFn).not.toBeNull();
    x.grad = g;
    clipGradNorm_([x], 1);
    expect(x.grad).toBe(g);
    expectClose(g!._data, [0.6, 0.8], 1e-6, 0);
  });

  it('refuses what is not a tensor or a number', () => {
    expect(() => clipGradNorm_([1 as unknown as tg.Tensor], 1)).toThrow('clipGradNorm_: expected Tensors, got number 1 at position 0');
    expect(() => clipGradNorm_([], '1' as unknown as number)).toThrow('clipGradNorm_: maxNorm must be a number, got string 1');
    expect(() => clipGradNorm_([], 1, NaN)).toThrow('clipGradNorm_: normType must be a number');
  });
});

describe('clipGradValue_', () => {
  it('clamps every gradient into [-clipValue, clipValue] in place', () => {
    const params = withGrads([[-3, 0.5, 2, -0.1, 1, 7], null, [0.25, -0.75]]);
    const before = params[0].grad!;
    clipGradValue_(params, 0.5);
    expect(params[0].grad).toBe(before);
    expect(params[0].grad!.toArray()).toEqual([[-0.5, 0.5], [0.5, -0.1], [0.5, 0.5]].map((r) => r.map(Math.fround)));
    expect(params[1].grad).toBeNull();
    expect(params[2].grad!.toArray()).toEqual([0.25, -0.5]);
    expect(() => clipGradValue_(params, null as unknown as number)).toThrow('clipGradValue_: clipValue must be a number, got null');
  });
});
