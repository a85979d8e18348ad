// The fit loop with a hand-made optimizer and plain arrays of batches: callbacks, validation,
// early stopping, abort, progress output, evaluate and predict.
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

const { nn, train } = tg;

/** Four Gaussian blobs in 2-D, one per class. */
function blobs(n: number, seed: number): [tg.Tensor, tg.Tensor] {
  const g = new tg.Generator(seed);
  const labels = tg.randint(0, 4, [n], { generator: g });
  const centers = tg.tensor([[2, 2], [-2, 2], [-2, -2], [2, -2]]);
  const x = tg.add(centers.indexSelect(0, labels), tg.randn([n, 2], { generator: g }).mul(0.5));
  return [x, labels];
}

function batchesOf([x, y]: [tg.Tensor, tg.Tensor], size: number): [tg.Tensor, tg.Tensor][] {
  return x.split(size).map((xb, i) => [xb, y.split(size)[i]]);
}

/** Plain gradient descent, enough for OptimizerLike. */
function sgd(params: tg.Tensor[], lr: number) {
  return {
    paramGroups: [{ lr }],
    zeroGrad() {
      for (const p of params) p.grad = null;
    },
    step() {
      tg.noGrad(() => params.forEach((p) => p.grad && p.sub_(p.grad.mul(this.paramGroups[0].lr))));
    },
  };
}

class Sink {
  text = '';
  isTTY = false;
  write(s: string) {
    this.text += s;
  }
}

describe('fit', () => {
  it('trains, validates, records history and prints one line per epoch off a terminal', async () => {
    tg.manualSeed(0);
    const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 4));
    const data = batchesOf(blobs(512, 1), 32);
    const validation = batchesOf(blobs(256, 2), 64);
    const out = new Sink();
    const history = await train.fit(model, {
      data,
      validationData: validation,
      epochs: 4,
      optimizer: sgd(model.parameters(), 0.1),
      loss: new nn.CrossEntropyLoss(),
      metrics: ['accuracy'],
      output: out,
    });
    expect(history.epoch).toEqual([0, 1, 2, 3]);
    const h = history.history;
    expect(h.loss[3]).toBeLessThan(h.loss[0]);
    expect(h.valAccuracy[3]).toBeGreaterThan(0.95);
    expect(h.lr).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(out.text.trim().split('\n')).toHaveLength(4);
    expect(out.text).toMatch(/^Epoch 1\/4 - [\d.]+s \d+ms\/step - loss: [\d.]+ - accuracy: [\d.]+ - valLoss: [\d.]+ - valAccuracy: [\d.]+ - [\d,]+ samples\/s$/m);
    const again = tg.train.History.fromJSON(JSON.parse(JSON.stringify(history)));
    expect(again.history.valAccuracy).toEqual(h.valAccuracy);
  });

  it('draws a progress bar on a terminal', async () => {
    const model = new nn.Linear(2, 4);
    const out = new Sink();
    out.isTTY = true;
    await train.fit(model, { data: batchesOf(blobs(64, 3), 16), epochs: 1, optimizer: sgd(model.parameters(), 0.1), loss: tg.crossEntropy, output: out });
    expect(out.text).toContain('Epoch 1/1\n');
    expect(out.text).toMatch(/\r4\/4 \[=+\]/);
  });

  it('EarlyStopping stops on a plateau and restores the best weights', async () => {
    tg.manualSeed(1);
    const model = new nn.Linear(2, 4);
    const stopper = new train.EarlyStopping({ monitor: 'valLoss', patience: 1, restoreBestWeights: true });
    const seen: number[] = [];
    // After two epochs of descent the schedule turns to ascent, so the loss gets worse for sure.
    const schedule = new train.LearningRateScheduler((epoch) => (epoch < 2 ? 0.05 : -0.5));
    const record = new train.LambdaCallback({ onEpochEnd: (_e, logs) => void seen.push(logs.valLoss) });
    const history = await train.fit(model, {
      data: batchesOf(blobs(256, 4), 32),
      validationData: batchesOf(blobs(128, 5), 64),
      epochs: 20,
      optimizer: sgd(model.parameters(), 0.05),
      loss: tg.crossEntropy,
      callbacks: [schedule, stopper, record],
      verbose: 0,
    });
    expect(history.stoppedBecause).toBe('earlyStopping');
    expect(history.epoch.length).toBeLessThan(20);
    const best = Math.min(...seen);
    const after = await train.evaluate(model, batchesOf(blobs(128, 5), 64), { loss: tg.crossEntropy });
    expect(after.loss).toBeCloseTo(best, 4);
  });

  it('stops after the current batch when aborted, and yields to the event loop between batches', async () => {
    const model = new nn.Linear(2, 4);
    const controller = new AbortController();
    let steps = 0;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const optimizer = sgd(model.parameters(), 0.1);
    const counting = { ...optimizer, paramGroups: optimizer.paramGroups, zeroGrad: optimizer.zeroGrad, step: () => { steps++; if (steps === 3) controller.abort(); optimizer.step.call(optimizer); } };
    const history = await train.fit(model, { data: batchesOf(blobs(320, 6), 32), epochs: 5, optimizer: counting, loss: tg.crossEntropy, signal: controller.signal, verbose: 0 });
    clearInterval(timer);
    expect(steps).toBe(3);
    expect(history.stoppedBecause).toBe('aborted');
    expect(ticks).toBeGreaterThan(0);
  });

  it('evaluate and predict leave the mode as it was', async () => {
    const model = new nn.Sequential(new nn.Linear(2, 3), new nn.Dropout(0.5));
    const [x, y] = blobs(50, 7);
    const p = await train.predict(model, x, { batchSize: 16 });
    expect(p.shape).toEqual([50, 3]);
    expect(p.requiresGrad).toBe(false);
    expect(model.training).toBe(true);
    const logs = await train.evaluate(model, [[x, y]] as [tg.Tensor, tg.Tensor][], { metrics: ['accuracy'] });
    expect(logs.accuracy).toBeGreaterThanOrEqual(0);
    expect(() => train.accuracy(tg.zeros(3, 2), tg.zeros(3))).toThrow(/int32 class indices/);
  });

  it('checks its options', async () => {
    const model = new nn.Linear(2, 2);
    await expect(train.fit(model, { data: [], optimizer: {} as never, loss: tg.crossEntropy })).rejects.toThrow(/step\(\) and zeroGrad\(\)/);
    await expect(train.fit(model, { data: 5 as never, optimizer: sgd([], 1), loss: tg.crossEntropy, verbose: 0 })).rejects.toThrow(/iterable of \[inputs, targets\] batches/);
  });
});
