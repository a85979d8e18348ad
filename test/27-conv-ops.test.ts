// conv2d, conv1d and the pooling ops with autograd, the modules around them, and a small CNN that
// learns. The kernels themselves are checked in test/50-52.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { gradcheck } from './helpers/gradcheck';

const { nn } = tg;
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'nn-modules.json'), 'utf8'));
const ours = (s: string) => s.replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false');
const leaf = (...shape: number[]) => tg.randn(shape).requiresGrad_();
const weights = (n: number, seed: number) => Float64Array.from(tg.rand([n], { generator: new tg.Generator(seed) }).dataSync(), (v) => 2 * v - 1);

describe('conv2d and pooling with autograd', () => {
  it('conv2d gradients agree with finite differences (stride, padding, dilation, groups, bias)', () => {
    tg.manualSeed(1);
    const cases: [number[], number[], tg.Conv2dOptions][] = [
      [[2, 3, 7, 6], [4, 3, 3, 3], { stride: 1, padding: 1 }],
      [[1, 4, 9, 8], [6, 2, 3, 2], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 }],
      [[2, 2, 6, 6], [2, 2, 4, 4], { padding: 'same' }],
    ];
    for (const [xs, ws, o] of cases) {
      const x = leaf(...xs);
      const w = leaf(...ws);
      const b = leaf(ws[0]);
      const out = tg.conv2d(x, w, b, o);
      gradcheck(([a, c, d]) => tg.conv2d(a, c, d, o), [x, w, b], weights(out.numel(), 2), { eps: 1e-2, tol: 2e-2 });
    }
  });

  it("'same' padding keeps the size, also for even kernels, and 'valid' pads nothing", () => {
    const x = tg.randn(1, 2, 9, 10);
    expect(tg.conv2d(x, tg.randn(3, 2, 4, 3), null, { padding: 'same' }).shape).toEqual([1, 3, 9, 10]);
    expect(tg.conv2d(x, tg.randn(3, 2, 4, 3), null, { padding: 'valid' }).shape).toEqual([1, 3, 6, 8]);
    expect(() => tg.conv2d(x, tg.randn(3, 2, 3, 3), null, { padding: 'same', stride: 2 })).toThrow(/not supported for strided/);
    expect(tg.conv2d(tg.randn(2, 9, 10), tg.randn(3, 2, 3, 3)).shape).toEqual([3, 7, 8]);
  });

  it('pooling gradients agree with finite differences', () => {
    tg.manualSeed(2);
    const x = leaf(2, 3, 7, 7);
    const n = (t: tg.Tensor) => weights(t.numel(), 3);
    gradcheck(([a]) => tg.maxPool2d(a, 2), [x], n(tg.maxPool2d(x, 2)), { eps: 1e-3 });
    gradcheck(([a]) => tg.maxPool2d(a, 3, { stride: 2, padding: 1, ceilMode: true }), [x], n(tg.maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true })), { eps: 1e-3 });
    gradcheck(([a]) => tg.avgPool2d(a, 3, { stride: 2, padding: 1, countIncludePad: false }), [x], n(tg.avgPool2d(x, 3, { stride: 2, padding: 1 })));
    gradcheck(([a]) => tg.adaptiveAvgPool2d(a, [3, 2]), [x], n(tg.adaptiveAvgPool2d(x, [3, 2])));
  });

  it('maxPool2d returns PyTorch-style indices and adaptive pooling keeps a null size', () => {
    const x = tg.arange(16, { dtype: 'float32' }).reshape(1, 1, 4, 4);
    const { values, indices } = tg.maxPool2dWithIndices(x, 2);
    expect(values.toArray()).toEqual([[[[5, 7], [13, 15]]]]);
    expect(indices.toArray()).toEqual([[[[5, 7], [13, 15]]]]);
    expect(tg.adaptiveAvgPool2d(x, [1, null]).shape).toEqual([1, 1, 1, 4]);
  });

  it('conv1d is a conv2d of height one', () => {
    tg.manualSeed(3);
    const x = leaf(2, 3, 11);
    const w = leaf(4, 3, 3);
    const y = tg.conv1d(x, w, null, { stride: 2, padding: 1 });
    expect(y.shape).toEqual([2, 4, 6]);
    gradcheck(([a, b]) => tg.conv1d(a, b, null, { stride: 2, padding: 1 }), [x, w], weights(y.numel(), 4));
  });

  it('names the shapes when channels do not match', () => {
    expect(() => tg.conv2d(tg.zeros(1, 3, 8, 8), tg.zeros(4, 2, 3, 3))).toThrow(/expected input\[1, 3, 8, 8\] to have 2 channels, but got 3 channels instead/);
    expect(() => tg.conv2d(tg.zeros(1, 2, 2, 2), tg.zeros(4, 2, 3, 3))).toThrow(/smaller than the kernel/);
    expect(() => tg.maxPool2d(tg.zeros(3, 3), 2)).toThrow(/3D or 4D/);
  });
});

describe('conv modules', () => {
  it('print as PyTorch prints', () => {
    const r = fixture.reprs;
    expect(String(new nn.Conv2d(1, 20, 5))).toBe(ours(r.conv));
    expect(String(new nn.Conv2d(4, 8, 3, { stride: 2, padding: 1, dilation: 2, groups: 2, bias: false }))).toBe(ours(r.conv_opts));
    expect(String(new nn.Conv2d(3, 6, [3, 5], { padding: 'same' }))).toBe(ours(r.conv_same));
    expect(String(new nn.MaxPool2d(2))).toBe(ours(r.maxpool));
    expect(String(new nn.MaxPool2d([3, 2], { stride: 1, padding: 1, ceilMode: true }))).toBe(ours(r.maxpool_opts));
    expect(String(new nn.AvgPool2d(2))).toBe(ours(r.avgpool));
    expect(String(new nn.AdaptiveAvgPool2d([1, 1]))).toBe(ours(r.adaptive));
    expect(String(new nn.AdaptiveAvgPool2d(7))).toBe(ours(r.adaptive_int));
    expect(String(new nn.Dropout2d(0.1))).toBe(ours(r.dropout2d));
  });

  it('Conv2d initialises as PyTorch: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weight and bias', () => {
    tg.manualSeed(4);
    const conv = new nn.Conv2d(16, 32, 3);
    const bound = 1 / Math.sqrt(16 * 9);
    for (const p of [conv.weight, conv.bias!]) {
      const d = p.dataSync() as Float32Array;
      expect(Math.max(...d)).toBeLessThanOrEqual(bound);
      expect(Math.min(...d)).toBeGreaterThanOrEqual(-bound);
    }
    expect(conv.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
  });

  it('a small CNN learns to tell horizontal from vertical bars', () => {
    tg.manualSeed(5);
    const n = 64;
    const images = new Float32Array(n * 8 * 8);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = i % 2;
      const at = 1 + (i % 6);
      for (let k = 0; k < 8; k++) images[i * 64 + (labels[i] ? k * 8 + at : at * 8 + k)] = 1;
    }
    const x = new tg.Tensor(images, [n, 1, 8, 8]);
    const y = new tg.Tensor(labels, [n]);
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(64, 2));
    const opt = new tg.optim.Adam(model.parameters(), { lr: 0.01 });
    let loss = 0;
    for (let step = 0; step < 60; step++) {
      opt.zeroGrad();
      const l = tg.crossEntropy(model(x), y);
      l.backward();
      opt.step();
      loss = l.item();
    }
    model.eval();
    const acc = tg.noGrad(() => model(x).argmax(1).eq(y).float().mean().item());
    expect(loss).toBeLessThan(0.1);
    expect(acc).toBe(1);
  });
});
