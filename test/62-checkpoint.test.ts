// Checkpoints: one safetensors file with the model, optimizer, scheduler, epoch, generators and
// History; a run interrupted after epoch 2 and resumed from its checkpoint ends bit for bit as the
// uninterrupted run; loads that do not fit change nothing; ModelCheckpoint's choices.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { tempDir } from './helpers/tmp-dir';

const { nn, optim, train, data, io } = tg;
const { StepLR, ReduceLROnPlateau } = optim.lrScheduler;
const dir = tempDir('checkpoint');
const file = (name: string) => path.join(dir, name);
const bytes = (t: tg.Tensor) => Buffer.from(t._data.buffer, t._data.byteOffset, t._data.byteLength);

/** Three noisy clusters in 4-D, from their own generator (the same whatever the default's state). */
function clusters(n: number): tg.data.TensorDataset<[tg.Tensor, tg.Tensor]> {
  const g = new tg.Generator(11);
  const y = tg.randint(0, 3, [n], { generator: g });
  const centers = tg.tensor([[2, 0, 0, 1], [0, 2, 0, -1], [0, 0, 2, 0]]);
  return new data.TensorDataset(tg.add(centers.indexSelect(0, y), tg.randn([n, 4], { generator: g })), y);
}

/** Dropout and shuffling draw from the generators; batch norm keeps buffers; Adam keeps moments. */
function setup(seed: number, ownGenerator = false) {
  tg.manualSeed(seed);
  const model = new nn.Sequential(new nn.Linear(4, 16), new nn.ReLU(), new nn.Dropout(0.3), new nn.BatchNorm1d(16), new nn.Linear(16, 3));
  const optimizer = new optim.Adam(model.parameters(), { lr: 0.02 });
  const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.7 });
  const generator = ownGenerator ? new tg.Generator(seed + 1000) : undefined;
  const loader = new data.DataLoader(clusters(96), { batchSize: 16, shuffle: true, generator });
  return { model, optimizer, scheduler, loader, generator };
}

type Setup = ReturnType<typeof setup>;

function fitFor(s: Setup, epochs: number, callbacks: tg.train.Callback[], more: Partial<tg.train.FitOptions> = {}) {
  return train.fit(s.model, { data: s.loader, optimizer: s.optimizer, loss: new nn.CrossEntropyLoss(), metrics: ['accuracy'], epochs, verbose: 0, callbacks, ...more });
}

function expectSameState(a: Setup, b: Setup): void {
  const sa = a.model.stateDict();
  const sb = b.model.stateDict();
  expect(Object.keys(sb)).toEqual(Object.keys(sa));
  for (const k of Object.keys(sa)) expect(bytes(sb[k]).equals(bytes(sa[k])), `model ${k}`).toBe(true);
  const oa = a.optimizer.stateDict();
  const ob = b.optimizer.stateDict();
  expect(ob.paramGroups).toEqual(oa.paramGroups);
  for (const [i, s] of Object.entries(oa.state)) {
    expect(ob.state[Number(i)].step).toBe(s.step);
    expect(bytes(ob.state[Number(i)].expAvgSq).equals(bytes(s.expAvgSq)), `expAvgSq ${i}`).toBe(true);
  }
  expect(b.scheduler.stateDict()).toEqual(a.scheduler.stateDict());
}

describe('resuming from a checkpoint', () => {
  it('4 epochs straight == 2 epochs, checkpoint, fresh objects, load, 2 more: bit for bit', async () => {
    const straight = setup(0);
    const full = await fitFor(straight, 4, [new train.LearningRateScheduler(straight.scheduler)]);
    const rngAfter = tg.defaultGenerator.getState();

    const first = setup(0);
    const saver = new train.ModelCheckpoint(file('run-{epoch}.safetensors'), { scheduler: first.scheduler });
    await fitFor(first, 2, [new train.LearningRateScheduler(first.scheduler), saver]);
    expect(saver.saved).toEqual([file('run-1.safetensors'), file('run-2.safetensors')]);

    const resumed = setup(123); // other initial weights and generator state: all must come from the file
    const ckpt = io.loadCheckpoint(file('run-2.safetensors'), { model: resumed.model, optimizer: resumed.optimizer, scheduler: resumed.scheduler });
    expect(ckpt.epoch).toBe(2);
    const rest = await fitFor(resumed, 4, [new train.LearningRateScheduler(resumed.scheduler)], { initialEpoch: ckpt.epoch, history: ckpt.history ?? undefined });

    expectSameState(straight, resumed);
    expect(rest.toJSON()).toEqual(full.toJSON());
    expect(rest.epoch).toEqual([0, 1, 2, 3]);
    expect(tg.defaultGenerator.getState()).toEqual(rngAfter);
  });

  it("with a DataLoader's own generator and a ReduceLROnPlateau (Infinity in its state), and SGD", async () => {
    const plain = (seed: number) => {
      const s = setup(seed, true);
      const optimizer = new optim.SGD(s.model.parameters(), { lr: 0.05, momentum: 0.9 });
      return { ...s, optimizer, plateau: new ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5 }) };
    };
    const stepPlateau = (p: InstanceType<typeof ReduceLROnPlateau>) => new train.LambdaCallback({ onEpochEnd: (_e, logs) => p.step(logs.loss) });
    const straight = plain(0);
    const full = await fitFor(straight as unknown as Setup, 4, [stepPlateau(straight.plateau)]);

    const first = plain(0);
    expect(first.plateau.stateDict().best).toBe(Infinity);
    const saver = new train.ModelCheckpoint(file('own-gen.safetensors'), { scheduler: first.plateau, generator: first.generator });
    await fitFor(first as unknown as Setup, 1, [stepPlateau(first.plateau), saver]);

    const resumed = plain(7);
    const ckpt = io.loadCheckpoint(file('own-gen.safetensors'), { model: resumed.model, optimizer: resumed.optimizer, scheduler: resumed.plateau, generator: resumed.generator });
    const rest = await fitFor(resumed as unknown as Setup, 4, [stepPlateau(resumed.plateau)], { initialEpoch: ckpt.epoch, history: ckpt.history ?? undefined });

    for (const [k, t] of Object.entries(straight.model.stateDict())) expect(bytes(resumed.model.stateDict()[k]).equals(bytes(t)), k).toBe(true);
    expect(resumed.plateau.stateDict()).toEqual(straight.plateau.stateDict());
    expect(resumed.generator?.getState()).toEqual(straight.generator?.getState());
    expect(rest.history).toEqual(full.history);
  });

  it('without restoring the random state the run goes elsewhere (the generators matter)', async () => {
    const straight = setup(0);
    await fitFor(straight, 3, [new train.LearningRateScheduler(straight.scheduler)]);
    const first = setup(0);
    await fitFor(first, 2, [new train.LearningRateScheduler(first.scheduler), new train.ModelCheckpoint(file('rng.safetensors'), { scheduler: first.scheduler })]);
    const resumed = setup(5);
    const ckpt = io.loadCheckpoint(file('rng.safetensors'), { model: resumed.model, optimizer: resumed.optimizer, scheduler: resumed.scheduler, restoreRng: false });
    await fitFor(resumed, 3, [new train.LearningRateScheduler(resumed.scheduler)], { initialEpoch: ckpt.epoch });
    const w = '4.weight';
    expect(bytes(resumed.model.stateDict()[w]).equals(bytes(straight.model.stateDict()[w]))).toBe(false);
  });

  it('fit refuses a history that already has the epochs it would run', async () => {
    const s = setup(0);
    const history = { epoch: [0, 1, 2], history: { loss: [1, 0.9, 0.8] } };
    await expect(fitFor(s, 4, [], { initialEpoch: 2, history })).rejects.toThrow(/already has epoch 2, so initialEpoch must be at least 3/);
  });
});

describe('the checkpoint file', () => {
  it('is one safetensors file: model tensors under model., optimizer tensors referenced from the metadata', () => {
    const s = setup(1);
    s.model(tg.randn(8, 4)).sum().backward();
    s.optimizer.step();
    const history = new train.History();
    history.record(0, { loss: NaN, lr: 0.02 });
    io.saveCheckpoint(file('layout.safetensors'), { model: s.model, optimizer: s.optimizer, scheduler: s.scheduler, epoch: 1, history, extra: { note: 'hi', best: -Infinity, t: tg.tensor([1, 2], { dtype: 'int32' }), list: [1, { x: true }] } });
    const meta = io.loadMetadata(file('layout.safetensors'));
    expect(Object.keys(meta).sort()).toEqual(['epoch', 'extra', 'format', 'format_version', 'history', 'optimizer', 'optimizer_class', 'rng', 'scheduler', 'scheduler_class']);
    expect(meta).toMatchObject({ format: 'tensorgrad.checkpoint', format_version: '1', epoch: '1', optimizer_class: 'Adam', scheduler_class: 'StepLR' });
    expect(JSON.parse(meta.rng)).toEqual({ default: tg.defaultGenerator.getState() });
    expect(JSON.parse(meta.optimizer).state['0']).toEqual({ step: 1, expAvg: { $tensor: 'optimizer.state.0.expAvg' }, expAvgSq: { $tensor: 'optimizer.state.0.expAvgSq' } });
    expect(JSON.parse(meta.history).history.loss).toEqual([{ $float: 'NaN' }]);
    const tensors = tg.load(file('layout.safetensors'));
    expect(Object.keys(tensors).filter((k) => k.startsWith('model.')).sort()).toEqual(Object.keys(s.model.stateDict()).map((k) => `model.${k}`).sort());
    expect(Object.keys(tensors)).toContain('extra.t');

    const again = setup(2);
    const ckpt = io.loadCheckpoint(file('layout.safetensors'), { model: again.model, optimizer: again.optimizer, scheduler: again.scheduler });
    expect(ckpt.epoch).toBe(1);
    expect(ckpt.history?.history.loss[0]).toBeNaN();
    const extra = ckpt.extra as { note: string; best: number; t: tg.Tensor; list: unknown[] };
    expect(extra.best).toBe(-Infinity);
    expect(extra.t.toArray()).toEqual([1, 2]);
    expect(extra.t.dtype).toBe('int32');
    expect(extra.list).toEqual([1, { x: true }]);
    expect(again.optimizer.stateDict().state[0].step).toBe(1);
  });

  it('refuses what it cannot keep, and leaves the previous file alone', () => {
    const s = setup(1);
    io.saveCheckpoint(file('keep.safetensors'), { model: s.model, epoch: 0 });
    const before = fs.readFileSync(file('keep.safetensors'));
    expect(() => io.saveCheckpoint(file('keep.safetensors'), { model: s.model, epoch: 1, extra: { fn: () => 1 } as unknown as tg.io.CheckpointValue })).toThrow(
      /saveCheckpoint\('.*keep\.safetensors'\): extra\.fn is function, which a checkpoint cannot keep/,
    );
    expect(() => io.saveCheckpoint(file('keep.safetensors'), { model: s.model, epoch: -1 })).toThrow(/epoch must be the number of epochs completed/);
    expect(() => io.saveCheckpoint(file('keep.safetensors'), { model: s.model, epoch: 1, extra: { a: { $tensor: 'x' } } })).toThrow(/extra\.a is an object whose only key is "\$tensor"/);
    expect(() => io.saveCheckpoint(file('keep.safetensors'), { model: {} as tg.nn.AnyModule, epoch: 1 })).toThrow(/model must be a tg.nn.Module/);
    expect(fs.readFileSync(file('keep.safetensors')).equals(before)).toBe(true);
  });
});

describe('every optimizer and scheduler', () => {
  type O = tg.optim.Optimizer;
  const optimizers: [string, (p: tg.Tensor[]) => O][] = [
    ['SGD', (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true })],
    ['Adam', (p) => new optim.Adam(p, { amsgrad: true })],
    ['AdamW', (p) => new optim.AdamW(p)],
    ['RMSprop', (p) => new optim.RMSprop(p, { momentum: 0.5, centered: true })],
    ['Adagrad', (p) => new optim.Adagrad(p)],
  ];
  const { MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR } = optim.lrScheduler;
  const schedulers: [string, (o: O) => tg.io.SchedulerLike][] = [
    ['StepLR', (o) => new StepLR(o, { stepSize: 2 })],
    ['MultiStepLR', (o) => new MultiStepLR(o, { milestones: [1, 1, 3] })],
    ['ExponentialLR', (o) => new ExponentialLR(o, { gamma: 0.9 })],
    ['CosineAnnealingLR', (o) => new CosineAnnealingLR(o, { TMax: 5 })],
    ['LinearLR', (o) => new LinearLR(o)],
    ['OneCycleLR', (o) => new OneCycleLR(o, { maxLr: 0.5, totalSteps: 10 })],
    ['ReduceLROnPlateau', (o) => new ReduceLROnPlateau(o)],
  ];

  it('comes back from a checkpoint as it was saved', () => {
    optimizers.forEach(([name, makeOptimizer], i) => {
      const [schedulerName, makeScheduler] = schedulers[i % schedulers.length];
      const model = new nn.Linear(3, 2);
      const optimizer = makeOptimizer(model.parameters());
      const scheduler = makeScheduler(optimizer);
      for (let step = 0; step < 2; step++) {
        model(tg.randn(4, 3)).sum().backward();
        optimizer.step();
        if (scheduler instanceof ReduceLROnPlateau) scheduler.step(1);
        else (scheduler as unknown as { step(): void }).step();
      }
      io.saveCheckpoint(file(`each-${name}.safetensors`), { model, optimizer, scheduler, epoch: 2 });
      const model2 = new nn.Linear(3, 2);
      const optimizer2 = makeOptimizer(model2.parameters());
      const scheduler2 = makeScheduler(optimizer2);
      io.loadCheckpoint(file(`each-${name}.safetensors`), { model: model2, optimizer: optimizer2, scheduler: scheduler2 });
      const [a, b] = [optimizer.stateDict(), optimizer2.stateDict()];
      expect(b.paramGroups, name).toEqual(a.paramGroups);
      for (const [k, state] of Object.entries(a.state)) {
        for (const [key, v] of Object.entries(state)) {
          const w = (b.state[Number(k)] as Record<string, unknown>)[key];
          if (v instanceof tg.Tensor) expect(bytes(w as tg.Tensor).equals(bytes(v)), `${name} ${k}.${key}`).toBe(true);
          else expect(w, `${name} ${k}.${key}`).toBe(v);
        }
      }
      expect(scheduler2.stateDict(), schedulerName).toEqual(scheduler.stateDict());
    });
    const spare = optimizers[0][1](new nn.Linear(3, 2).parameters());
    for (const [name, make] of schedulers.slice(optimizers.length)) {
      const scheduler = make(spare);
      io.saveCheckpoint(file(`sched-${name}.safetensors`), { model: new nn.Linear(3, 2), scheduler, epoch: 0 });
      const again = make(optimizers[0][1](new nn.Linear(3, 2).parameters()));
      io.loadCheckpoint(file(`sched-${name}.safetensors`), { model: new nn.Linear(3, 2), scheduler: again });
      expect(again.stateDict(), name).toEqual(scheduler.stateDict());
    }
  });
});

describe('loadCheckpoint refuses what does not fit, and then changes nothing', () => {
  const saved = () => {
    const s = setup(3);
    s.model(tg.randn(8, 4)).sum().backward();
    s.optimizer.step();
    io.saveCheckpoint(file('fit.safetensors'), { model: s.model, optimizer: s.optimizer, epoch: 1 });
    return s;
  };

  it('names what is wrong', () => {
    saved();
    const s = setup(4);
    tg.save(s.model.stateDict(), file('weights.safetensors'));
    expect(() => io.loadCheckpoint(file('weights.safetensors'), { model: s.model })).toThrow(/weights\.safetensors'\): it is not a tensorgrad checkpoint .*loads with tg\.load/);
    const sgd = new optim.SGD(s.model.parameters(), { lr: 0.1 });
    expect(() => io.loadCheckpoint(file('fit.safetensors'), { model: s.model, optimizer: sgd })).toThrow(/it holds the state of a Adam, not of a SGD/);
    expect(() => io.loadCheckpoint(file('fit.safetensors'), { model: s.model, scheduler: s.scheduler })).toThrow(/it holds no scheduler state/);
    expect(() => io.loadCheckpoint(file('fit.safetensors'), { model: s.model, generator: new tg.Generator() })).toThrow(/holds no generator state/);
    expect(() => io.loadCheckpoint(file('missing.safetensors'), { model: s.model })).toThrow(/ENOENT/);
    fs.writeFileSync(file('corrupt.safetensors'), Buffer.from([1, 2, 3]));
    expect(() => io.loadCheckpoint(file('corrupt.safetensors'), { model: s.model })).toThrow(io.SafetensorsError);
  });

  it('a model or optimizer that does not fit leaves model, optimizer and generators as they were', () => {
    saved();
    const s = setup(5);
    const other = new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU());
    expect(() => io.loadCheckpoint(file('fit.safetensors'), { model: other })).toThrow(/Unexpected key\(s\) in state_dict/);
    // The optimizer fails after the model has loaded: the model must be put back.
    const twoGroups = new optim.Adam([{ params: s.model.parameters().slice(0, 2) }, { params: s.model.parameters().slice(2) }]);
    const weights = s.model.stateDict()['0.weight'].clone();
    const rng = tg.defaultGenerator.getState();
    tg.randn(3); // the generator moves on, so that a restore would show
    const moved = tg.defaultGenerator.getState();
    expect(moved).not.toEqual(rng);
    expect(() => io.loadCheckpoint(file('fit.safetensors'), { model: s.model, optimizer: twoGroups })).toThrow(/different number of parameter groups/);
    expect(bytes(s.model.stateDict()['0.weight']).equals(bytes(weights))).toBe(true);
    expect(twoGroups.state.size).toBe(0);
    expect(tg.defaultGenerator.getState()).toEqual(moved);
  });
});

describe('ModelCheckpoint', () => {
  /** Drives the callback by hand with chosen logs, as fit would at each epoch's end. */
  function drive(cb: tg.train.ModelCheckpoint, values: tg.train.Logs[]) {
    const model = new nn.Linear(2, 2);
    const optimizer = new optim.SGD(model.parameters(), { lr: 0.1 });
    const history = new train.History();
    const ctx = { model, optimizer, history, epochs: values.length, stop: () => {} };
    values.forEach((logs, epoch) => {
      history.record(epoch, logs);
      cb.onEpochEnd(epoch, logs, ctx);
    });
    return model;
  }

  it('saves every epoch by default, naming files by {epoch} from 1 and by logged values', () => {
    const cb = new train.ModelCheckpoint(file('runs/a/every-{epoch:03d}-{valLoss:.2f}.safetensors'));
    drive(cb, [{ valLoss: 0.5 }, { valLoss: 0.7 }, { valLoss: 0.123 }]);
    expect(path.dirname(cb.saved[0])).toBe(file('runs/a'));
    expect(cb.saved.map((f) => path.basename(f))).toEqual(['every-001-0.50.safetensors', 'every-002-0.70.safetensors', 'every-003-0.12.safetensors']);
    expect(io.loadMetadata(cb.saved[2]).epoch).toBe('3');
    expect(() => drive(new train.ModelCheckpoint(file('{nope}.safetensors')), [{ loss: 1 }])).toThrow(/names \{nope\}, which is not logged \(logged: epoch, loss\)/);
    expect(() => drive(new train.ModelCheckpoint(file('{epoch:x}.safetensors')), [{ loss: 1 }])).toThrow(/\{epoch:x\} has a format it does not know/);
  });

  it('with saveBestOnly saves only improvements: min for losses, max for accuracies', () => {
    const losses = new train.ModelCheckpoint(file('best-loss-{epoch}.safetensors'), { saveBestOnly: true });
    drive(losses, [{ valLoss: 0.5 }, { valLoss: 0.6 }, { valLoss: 0.4 }, { valLoss: 0.4 }, { valLoss: NaN }]);
    expect(losses.saved.map((f) => path.basename(f))).toEqual(['best-loss-1.safetensors', 'best-loss-3.safetensors']);
    expect([losses.best, losses.bestEpoch]).toEqual([0.4, 2]);

    const acc = new train.ModelCheckpoint(file('best-acc-{epoch}.safetensors'), { saveBestOnly: true, monitor: 'valAccuracy' });
    drive(acc, [{ valAccuracy: 0.5 }, { valAccuracy: 0.4 }, { valAccuracy: 0.9 }]);
    expect(acc.saved.map((f) => path.basename(f))).toEqual(['best-acc-1.safetensors', 'best-acc-3.safetensors']);

    const resumed = new train.ModelCheckpoint(file('best-again-{epoch}.safetensors'), { saveBestOnly: true, mode: 'min', monitor: 'loss', initialValueThreshold: 0.3 });
    drive(resumed, [{ loss: 0.35 }, { loss: 0.2 }]);
    expect(resumed.saved.map((f) => path.basename(f))).toEqual(['best-again-2.safetensors']);

    expect(() => drive(new train.ModelCheckpoint(file('x.safetensors'), { saveBestOnly: true }), [{ loss: 1 }])).toThrow(/'valLoss' is not logged; logged values are loss/);
    expect(() => new train.ModelCheckpoint(file('x.safetensors'), { mode: 'up' as 'min' })).toThrow(/mode must be 'min', 'max' or 'auto'/);
  });

  it('with saveWeightsOnly writes a plain state dict that tg.load and loadStateDict take', () => {
    const cb = new train.ModelCheckpoint(file('weights-{epoch}.safetensors'), { saveWeightsOnly: true });
    const model = drive(cb, [{ loss: 1 }]);
    const sd = tg.load(cb.saved[0]);
    expect(Object.keys(sd)).toEqual(['bias', 'weight']);
    const fresh = new nn.Linear(2, 2);
    fresh.loadStateDict(sd);
    expect(fresh.weight.toArray()).toEqual(model.weight.toArray());
    expect(() => io.loadCheckpoint(cb.saved[0], { model: fresh })).toThrow(/not a tensorgrad checkpoint/);
  });

  it('a full checkpoint from fit holds the optimizer only when it is a tg.optim one', () => {
    const cb = new train.ModelCheckpoint(file('plain-opt.safetensors'));
    const model = new nn.Linear(2, 2);
    const history = new train.History();
    cb.onEpochEnd(0, { loss: 1 }, { model, optimizer: { zeroGrad() {}, step() {} }, history, epochs: 1, stop: () => {} });
    expect(Object.keys(io.loadMetadata(cb.saved[0]))).not.toContain('optimizer');
  });
});
