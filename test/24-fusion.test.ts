import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

const { nn } = tg;

/** Output and parameter gradients of model(x) with loss sum(out * weights). */
function run(model: tg.nn.Module, x: tg.Tensor): { out: Float32Array; grads: Float32Array[]; gx: Float32Array } {
  const xi = x.clone().requiresGrad_();
  model.zeroGrad();
  const out = model(xi);
  tg.mul(out, tg.linspace(-1, 1, out.numel()).reshape(out.shape)).sum().backward();
  return { out: out.dataSync() as Float32Array, grads: model.parameters().map((p) => p.grad!.dataSync() as Float32Array), gx: xi.grad!.dataSync() as Float32Array };
}

/** The same layers called one by one, never fused. */
function unfused(layers: tg.nn.Module[]): tg.nn.Module {
  class Chain extends nn.Module {
    list = new nn.ModuleList(layers);
    forward(x: tg.Tensor): tg.Tensor {
      return layers.reduce((h, m) => m(h), x);
    }
  }
  return new Chain();
}

describe('Sequential fuses a layer with the ReLU after it', () => {
  it('gives Linear + ReLU the same values and gradients as the two modules one by one', () => {
    tg.manualSeed(3);
    const layers = [new nn.Linear(7, 5), new nn.ReLU(), new nn.Linear(5, 3), new nn.ReLU()];
    const x = tg.randn(6, 7);
    const fused = run(new nn.Sequential(...layers), x);
    const plain = run(unfused(layers), x);
    expect(fused.out).toEqual(plain.out);
    expect(fused.gx).toEqual(plain.gx);
    fused.grads.forEach((g, i) => expect(g).toEqual(plain.grads[i]));
    expect(new nn.Sequential(...layers)(x).gradFn?.name).toBe('AddmmReluBackward0');
  });

  it('gives Conv2d + ReLU the same values and gradients as the two modules one by one', () => {
    tg.manualSeed(4);
    const layers = [new nn.Conv2d(2, 3, 3, { padding: 1 }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(48, 2)];
    const x = tg.randn(2, 2, 4, 4);
    const fused = run(new nn.Sequential(...layers), x);
    const plain = run(unfused(layers), x);
    expect(fused.out).toEqual(plain.out);
    expect(fused.gx).toEqual(plain.gx);
    fused.grads.forEach((g, i) => expect(g).toEqual(plain.grads[i]));
  });

  it('keeps the modules apart where a forward hook must see the intermediate output', () => {
    const fc = new nn.Linear(3, 2);
    const act = new nn.ReLU();
    const seen: tg.Tensor[] = [];
    const handle = fc.registerForwardHook((_m, _in, out) => seen.push(out as tg.Tensor));
    const x = tg.tensor([[1, -2, 3], [-4, 5, -6]]);
    const y = new nn.Sequential(fc, act)(x);
    expect(seen).toHaveLength(1);
    expect(y.dataSync()).toEqual(tg.relu(seen[0]).dataSync());
    handle.remove();
    const seenByRelu: unknown[] = [];
    act.registerForwardHook((_m, inputs) => seenByRelu.push(inputs[0]));
    new nn.Sequential(fc, act)(x);
    expect(seenByRelu).toHaveLength(1);
  });

  it('does not fuse a subclass that overrides forward', () => {
    class Doubled extends nn.Linear {
      override forward(x: tg.Tensor): tg.Tensor {
        return tg.mul(super.forward(x), 2);
      }
    }
    tg.manualSeed(5);
    const fc = new Doubled(3, 2);
    const x = tg.randn(4, 3);
    const y = new nn.Sequential(fc, new nn.ReLU())(x);
    expect(y.dataSync()).toEqual(tg.relu(tg.mul(tg.nn.functional.linear(x, fc.weight, fc.bias), 2)).dataSync());
  });

  it('keeps NaN through the fused ReLU, as torch.relu does', () => {
    const fc = new nn.Linear(2, 1);
    tg.noGrad(() => {
      fc.weight.copy_(tg.tensor([[1, 1]]));
      fc.bias!.copy_(tg.tensor([0]));
    });
    const y = new nn.Sequential(fc, new nn.ReLU())(tg.tensor([[NaN, 1], [-1, -1], [2, 3]]));
    expect(Array.from(y.dataSync())).toEqual([NaN, 0, 5]);
  });
});
