import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { expectClose } from './helpers/reference';

const { nn } = tg;
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'nn-modules.json'), 'utf8'));
/** PyTorch's printed form in tensorgrad's spelling of booleans. */
const ours = (s: string) => s.replace(/\bTrue\b/g, 'true').replace(/\bFalse\b/g, 'false');

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 3);
  bn = new nn.BatchNorm1d(3);
  fc2 = new nn.Linear(3, 2, false);
  act = new nn.LeakyReLU(0.2);
  drop = new nn.Dropout(0.25);
  emb = new nn.Embedding(10, 3, 0);
  forward(x: tg.Tensor): tg.Tensor {
    return this.fc2(this.act(this.bn(this.fc1(x))));
  }
}

describe('Module', () => {
  it('prints as PyTorch prints', () => {
    const mlp = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(512, 10));
    expect(String(mlp)).toBe(ours(fixture.reprs.mlp));
    expect(String(new Net())).toBe(ours(fixture.reprs.net));
    expect(String(new nn.Flatten())).toBe(ours(fixture.reprs.flatten));
    expect(String(new nn.BatchNorm1d(8, { eps: 1e-3, momentum: null }))).toBe(ours(fixture.reprs.bn_eps));
    expect(String(new nn.Softmax(1))).toBe(fixture.reprs.softmax);
    expect(String(new nn.GELU('tanh'))).toBe(fixture.reprs.gelu);
    expect(String(new nn.CrossEntropyLoss({ reduction: 'sum' }))).toBe(fixture.reprs.loss);
  });

  it('names parameters and state as PyTorch does', () => {
    const mlp = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Dropout(0.2), new nn.Linear(512, 10));
    expect(mlp.namedParameters().map(([n]) => n)).toEqual(fixture.mlp_param_names);
    expect(Object.keys(new Net().stateDict())).toEqual(fixture.net_state_keys);
    const net = new Net();
    expect(net.children().length).toBe(6);
    expect(net.modules().length).toBe(7);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['bn.running_mean', 'bn.running_var', 'bn.num_batches_tracked']);
  });

  it('is callable, runs forward hooks, switches modes', () => {
    const lin = new nn.Linear(2, 2);
    const seen: number[][] = [];
    const h = lin.registerForwardHook((_m, _in, out) => seen.push((out as tg.Tensor).shape.slice()));
    expect(lin(tg.ones(3, 2)).shape).toEqual([3, 2]);
    h.remove();
    lin(tg.ones(1, 2));
    expect(seen).toEqual([[3, 2]]);
    const net = new Net().eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.drop.training).toBe(true);
    const visited: string[] = [];
    net.apply((m) => visited.push(m.constructor.name));
    expect(visited[visited.length - 1]).toBe('Net');
  });

  it('zeroGrad clears every gradient', () => {
    const lin = new nn.Linear(3, 2);
    lin(tg.ones(1, 3)).sum().backward();
    expect(lin.weight.grad).not.toBeNull();
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
  });

  it('round-trips state dicts and reports bad ones in PyTorch words', () => {
    tg.manualSeed(1);
    const a = new Net();
    const b = new Net();
    b.loadStateDict(a.stateDict());
    const x = tg.randn(4, 4);
    a.eval();
    b.eval();
    expect(b(x).dataSync()).toEqual(a(x).dataSync());
    const sd = a.stateDict();
    const { 'fc2.weight': _dropped, ...missing } = sd;
    void _dropped;
    expect(() => b.loadStateDict(missing)).toThrow(/Error\(s\) in loading state_dict for Net:\n\tMissing key\(s\) in state_dict: "fc2.weight"\./);
    expect(() => b.loadStateDict({ ...sd, extra: tg.zeros(1) })).toThrow(/Unexpected key\(s\) in state_dict: "extra"/);
    expect(() => b.loadStateDict({ ...sd, 'fc1.weight': tg.zeros(2, 2) })).toThrow(
      'size mismatch for fc1.weight: copying a param with shape [2, 2] from checkpoint, the shape in current model is [3, 4].',
    );
    expect(b.loadStateDict(missing, { strict: false })).toEqual({ missingKeys: ['fc2.weight'], unexpectedKeys: [] });
  });

  it('summary lists layers, output shapes and parameter counts', () => {
    const mlp = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 10));
    const text = mlp.summary([1, 28, 28]);
    expect(text).toContain('1 (Linear)');
    expect(text).toMatch(/1 \(Linear\)\s+\[-1, 512\]\s+401,920/);
    expect(text).toContain('Total params: 407,050');
    expect(text).toContain('Trainable params: 407,050');
    expect(mlp.training).toBe(true);
  });
});

describe('layers', () => {
  it('Linear initialises as PyTorch: U(-1/sqrt(in), 1/sqrt(in))', () => {
    tg.manualSeed(2);
    const lin = new nn.Linear(400, 300);
    const w = lin.weight.dataSync() as Float32Array;
    const bound = 1 / Math.sqrt(400);
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    const variance = w.reduce((s, v) => s + v * v, 0) / w.length;
    expect(Math.abs(variance - (bound * bound) / 3) / ((bound * bound) / 3)).toBeLessThan(0.02);
  });

  it('BatchNorm1d matches PyTorch in training and eval, running statistics included', () => {
    const f = fixture.batchnorm;
    const bn = new nn.BatchNorm1d(3);
    tg.noGrad(() => {
      bn.weight!.copy_(tg.tensor([1.5, 0.5, -1.0]));
      bn.bias!.copy_(tg.tensor([0.1, -0.2, 0.3]));
    });
    const x1 = tg.tensor(f.x1).reshape(5, 3).requiresGrad_();
    const y1 = bn(x1);
    expectClose(y1.dataSync(), f.y1, 1e-5, 1e-5);
    tg.mul(y1, tg.tensor(f.w1).reshape(5, 3)).sum().backward();
    expectClose(x1.grad!.dataSync(), f.grad_x1, 1e-4, 1e-5);
    expectClose(bn.weight!.grad!.dataSync(), f.grad_weight, 1e-4, 1e-5);
    expectClose(bn.bias!.grad!.dataSync(), f.grad_bias, 1e-4, 1e-5);
    expectClose(bn.runningMean!.dataSync(), f.running_mean, 1e-5, 1e-6);
    expectClose(bn.runningVar!.dataSync(), f.running_var, 1e-5, 1e-6);
    const fresh = new nn.BatchNorm1d(3);
    fresh.loadStateDict(bn.stateDict());
    expectClose(fresh(tg.tensor(f.x2).reshape(6, 3, 2)).dataSync(), f.y2, 1e-5, 1e-5);
    expectClose(fresh.runningMean!.dataSync(), f.running_mean_3d, 1e-5, 1e-6);
    bn.eval();
    expectClose(bn(x1.detach()).dataSync(), f.y_eval, 1e-5, 1e-5);
    expect(() => bn(tg.zeros(2, 4))).toThrow(/expected 2D or 3D input with 3 channels in dim 1, got \[2, 4\]/);
  });

  it('BatchNorm2d matches PyTorch per channel, running statistics and eval included', () => {
    const f = fixture.batchnorm2d;
    const bn = new nn.BatchNorm2d(2);
    const x = tg.tensor(f.x).reshape(3, 2, 4, 4).requiresGrad_();
    const y = bn(x);
    expectClose(y.dataSync(), f.y, 1e-5, 1e-5);
    tg.mul(y, tg.tensor(f.w).reshape(3, 2, 4, 4)).sum().backward();
    expectClose(x.grad!.dataSync(), f.grad_x, 1e-4, 1e-5);
    expectClose(bn.weight!.grad!.dataSync(), f.grad_weight, 1e-4, 1e-5);
    expectClose(bn.bias!.grad!.dataSync(), f.grad_bias, 1e-4, 1e-5);
    expectClose(bn.runningMean!.dataSync(), f.running_mean, 1e-5, 1e-6);
    expectClose(bn.runningVar!.dataSync(), f.running_var, 1e-5, 1e-6);
    bn.eval();
    expectClose(bn(x.detach()).dataSync(), f.y_eval, 1e-5, 1e-5);
    expect(String(bn)).toBe(ours(f.repr));
    expect(() => bn(tg.zeros(2, 2, 3))).toThrow(/expected 4D input with 2 channels/);
  });

  it('Dropout2d zeroes whole channels', () => {
    tg.manualSeed(5);
    const drop = new nn.Dropout2d(0.5);
    const y = drop(tg.ones(8, 16, 3, 3)).dataSync();
    let zeroChannels = 0;
    for (let c = 0; c < 8 * 16; c++) {
      const plane = Array.from(y.slice(c * 9, c * 9 + 9));
      expect(plane.every((v) => v === plane[0])).toBe(true);
      if (plane[0] === 0) zeroChannels++;
      else expect(plane[0]).toBe(2);
    }
    expect(zeroChannels).toBeGreaterThan(40);
    expect(zeroChannels).toBeLessThan(88);
    expect(() => tg.dropout2d(tg.ones(3, 3), 0.5)).toThrow(/3D or 4D/);
  });

  it('Embedding looks rows up and keeps the padding row at zero gradient', () => {
    const emb = new nn.Embedding(5, 2, 0);
    expect(Array.from(emb.weight.dataSync().slice(0, 2))).toEqual([0, 0]);
    const ids = tg.tensor([[0, 3], [3, 1]], { dtype: 'int32' });
    const out = emb(ids);
    expect(out.shape).toEqual([2, 2, 2]);
    out.sum().backward();
    const g = emb.weight.grad!.toArray() as number[][];
    expect(g[0]).toEqual([0, 0]);
    expect(g[3]).toEqual([2, 2]);
    expect(g[1]).toEqual([1, 1]);
  });

  it('activations, dropout, flatten and losses agree with the functional ops', () => {
    const x = tg.randn(4, 6);
    expect(new nn.ReLU()(x).dataSync()).toEqual(tg.relu(x).dataSync());
    expect(new nn.Tanh()(x).dataSync()).toEqual(tg.tanh(x).dataSync());
    expect(new nn.Softmax(1)(x).dataSync()).toEqual(tg.softmax(x, 1).dataSync());
    expect(new nn.Unflatten(1, [2, 3])(x).shape).toEqual([4, 2, 3]);
    expect(new nn.Flatten()(tg.zeros(2, 3, 4)).shape).toEqual([2, 12]);
    const drop = new nn.Dropout(0.5);
    drop.eval();
    expect(drop(x)).toBe(x);
    const t = tg.tensor([0, 2, 1, 5], { dtype: 'int32' });
    expect(new nn.CrossEntropyLoss()(x, t).item()).toBeCloseTo(tg.crossEntropy(x, t).item(), 6);
    expect(new nn.MSELoss('sum')(x, tg.zeros(4, 6)).item()).toBeCloseTo(tg.mseLoss(x, tg.zeros(4, 6), 'sum').item(), 4);
    expect(new nn.Identity()(x)).toBe(x);
  });
});

describe('nn.init', () => {
  it('fills with the documented distributions', () => {
    tg.manualSeed(3);
    const w = tg.zeros(200, 100);
    nn.init.xavierUniform_(w);
    const a = Math.sqrt(6 / 300);
    expect(Math.max(...w.dataSync())).toBeLessThanOrEqual(a);
    nn.init.kaimingNormal_(w, { mode: 'fanIn', nonlinearity: 'relu' });
    const d = w.dataSync() as Float32Array;
    const std = Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
    expect(Math.abs(std - Math.sqrt(2 / 100)) / Math.sqrt(2 / 100)).toBeLessThan(0.03);
    nn.init.constant_(w, 0.5);
    expect(w.mean().item()).toBe(0.5);
    expect(nn.init.calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 10);
    expect(nn.init.calculateFans(tg.zeros(8, 4, 3, 3))).toEqual([36, 72]);
    expect(() => nn.init.xavierNormal_(tg.zeros(5))).toThrow(/fewer than 2 dimensions/);
  });
});
