// Every optimizer trains: a small linear regression, fitted with each optimizer (and a few of
// their options), ends with a far lower loss than it starts with.
import { expect, it } from 'vitest';
import * as tg from '../lib/index';
import { makeParams } from './helpers/optim';
import { testRng } from './helpers/reference';

const { SGD, Adam, AdamW, RMSprop, Adagrad } = tg.optim;

// Linear regression y = X w* + b* + noise, 64 samples of 3 features.
const rng = testRng(43);
const uniform = () => 2 * rng() - 1;
const X = tg.tensor(Array.from({ length: 64 }, () => [uniform(), uniform(), uniform()]));
const y = X.matmul(tg.tensor([[1.5], [-2], [0.5]])).add(0.3).add(tg.tensor(Array.from({ length: 64 }, () => [0.01 * uniform()])));

/** A closure for step(): the loss of the model (w, b), its gradients computed afresh. */
function closure(opt: tg.optim.Optimizer, w: tg.Tensor, b: tg.Tensor): () => tg.Tensor {
  return () => {
    opt.zeroGrad();
    const loss = tg.mseLoss(X.matmul(w).add(b), y);
    loss.backward();
    return loss;
  };
}

const cases: [string, (params: tg.Tensor[]) => tg.optim.Optimizer][] = [
  ['SGD', (ps) => new SGD(ps, { lr: 0.1 })],
  ['SGD momentum nesterov', (ps) => new SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true })],
  ['Adam', (ps) => new Adam(ps, { lr: 0.05 })],
  ['Adam amsgrad', (ps) => new Adam(ps, { lr: 0.05, amsgrad: true })],
  ['AdamW', (ps) => new AdamW(ps, { lr: 0.05 })],
  ['RMSprop', (ps) => new RMSprop(ps, { lr: 0.01 })],
  ['RMSprop centered momentum', (ps) => new RMSprop(ps, { lr: 0.005, momentum: 0.5, centered: true })],
  ['Adagrad', (ps) => new Adagrad(ps, { lr: 0.5 })],
];
for (const [name, make] of cases) {
  it(name, () => {
    const [w, b] = makeParams([[0, 0, 0], [0]], [[3, 1], [1]]);
    const opt = make([w, b]);
    const step = closure(opt, w, b);
    const first = step().item();
    let last = first;
    for (let i = 0; i < 150; i++) last = opt.step(step)!.item();
    expect(last).toBeLessThan(first * 0.05);
  });
}

it('SGD with momentum under OneCycleLR, with clipped gradients', () => {
  const [w, b] = makeParams([[0, 0, 0], [0]], [[3, 1], [1]]);
  const opt = new SGD([w, b], { momentum: 0.9 });
  const sched = new tg.optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.2, totalSteps: 100 });
  const step = closure(opt, w, b);
  const first = step().item();
  let last = first;
  for (let i = 0; i < 100; i++) {
    last = step().item();
    tg.optim.clipGradNorm_([w, b], 1);
    opt.step();
    sched.step();
  }
  expect(last).toBeLessThan(first * 0.05);
});
