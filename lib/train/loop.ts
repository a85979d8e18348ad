/**
 * The Keras-style loop: fit (train for epochs with validation, callbacks and progress), evaluate
 * and predict. Async, with a turn of the event loop between batches, and stoppable with an
 * AbortSignal after the current batch.
 */
import { noGrad } from '../autograd/grad-mode';
import type { AnyModule } from '../nn/module';
import { cat } from '../ops/join';
import { Tensor } from '../tensor/tensor';
import type { Callback, TrainContext } from './callbacks';
import { History, type HistoryJSON } from './history';
import { metricFn, metricName } from './metrics';
import { Progress, type Writable } from './progress';
import type { Batch, BatchSource, Logs, LossFn, Metric, OptimizerLike } from './types';

export interface FitOptions {
  /** Training batches, iterated once per epoch (a DataLoader reshuffles each time). */
  data: BatchSource;
  optimizer: OptimizerLike;
  loss: LossFn;
  epochs?: number;
  metrics?: Metric[];
  validationData?: BatchSource;
  callbacks?: Callback[];
  /** 0 silent, 1 a progress bar on a terminal, 2 one line per epoch; default 1 on a TTY, else 2. */
  verbose?: 0 | 1 | 2;
  /** Stops cleanly after the current batch when aborted. */
  signal?: AbortSignal;
  /** The epoch to start at (to continue a run), counting from 0: a checkpoint's epoch. */
  initialEpoch?: number;
  /**
   * The History of the run being continued (a checkpoint's history): fit records the new epochs
   * after its own and returns it, so that the result is that of one uninterrupted run.
   */
  history?: History | HistoryJSON;
  /** Where progress goes (default process.stdout). */
  output?: Writable;
}

type Run = (x: Tensor) => Tensor;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function* batches(source: BatchSource): AsyncGenerator<Batch> {
  if (!source || (typeof (source as AsyncIterable<Batch>)[Symbol.asyncIterator] !== 'function' && typeof (source as Iterable<Batch>)[Symbol.iterator] !== 'function')) {
    throw new TypeError('fit: data must be an iterable of [inputs, targets] batches, such as a DataLoader');
  }
  yield* source as AsyncIterable<Batch>;
}

function lengthOf(source: BatchSource): number | null {
  const n = (source as { length?: unknown }).length;
  return typeof n === 'number' ? n : null;
}

function lossOf(loss: LossFn, prediction: Tensor, target: Tensor): Tensor {
  const out = (loss as (p: Tensor, t: Tensor) => Tensor)(prediction, target);
  if (!(out instanceof Tensor) || out.numel() !== 1) throw new TypeError('fit: loss must return a single-element tensor');
  return out;
}

/** Sums of loss and metrics weighted by batch size, for epoch means. */
class Tally {
  samples = 0;
  private sums: Logs = {};

  add(n: number, values: Logs): void {
    this.samples += n;
    for (const [k, v] of Object.entries(values)) this.sums[k] = (this.sums[k] ?? 0) + v * n;
  }

  means(prefix = ''): Logs {
    const out: Logs = {};
    for (const [k, v] of Object.entries(this.sums)) out[prefix ? `${prefix}${k[0].toUpperCase()}${k.slice(1)}` : k] = v / Math.max(this.samples, 1);
    return out;
  }
}

function measure(prediction: Tensor, target: Tensor, lossValue: number, metrics: Metric[]): Logs {
  const logs: Logs = { loss: lossValue };
  for (const m of metrics) logs[metricName(m)] = metricFn(m)(prediction, target);
  return logs;
}

async function call(callbacks: Callback[], hook: keyof Callback, ...args: unknown[]): Promise<void> {
  for (const cb of callbacks) {
    const f = cb[hook] as ((...a: unknown[]) => unknown) | undefined;
    if (f) await f.apply(cb, args);
  }
}

/** A fresh History, or the one of the run being continued, which must end before initialEpoch. */
function continuing(earlier: History | HistoryJSON | undefined, initialEpoch: number): History {
  if (earlier === undefined) return new History();
  const history = earlier instanceof History ? earlier : History.fromJSON(earlier);
  const last = history.epoch[history.epoch.length - 1];
  if (last !== undefined && last >= initialEpoch) {
    throw new RangeError(`fit: the history given already has epoch ${last}, so initialEpoch must be at least ${last + 1} (it is ${initialEpoch}); pass a checkpoint's epoch as initialEpoch`);
  }
  return history;
}

/** Trains `model` and returns the per-epoch History. */
export async function fit(model: AnyModule, options: FitOptions): Promise<History> {
  const { optimizer, loss, signal } = options;
  if (!optimizer || typeof optimizer.step !== 'function' || typeof optimizer.zeroGrad !== 'function') throw new TypeError('fit: optimizer must have step() and zeroGrad()');
  if (!loss) throw new TypeError('fit: loss is required');
  const epochs = options.epochs ?? 1;
  const metrics = options.metrics ?? [];
  const callbacks = options.callbacks ?? [];
  const out = options.output ?? process.stdout;
  const verbose = options.verbose ?? (out.isTTY ? 1 : 2);
  const progress = new Progress(out, verbose, epochs);
  const initialEpoch = options.initialEpoch ?? 0;
  const history = continuing(options.history, initialEpoch);
  let stopReason: string | null = null;
  const ctx: TrainContext = { model, optimizer, history, epochs, stop: (reason) => (stopReason ??= reason) };
  const run = model as unknown as Run;
  let logs: Logs = {};
  await call(callbacks, 'onTrainBegin', ctx);
  for (let epoch = initialEpoch; epoch < epochs && !stopReason; epoch++) {
    await call(callbacks, 'onEpochBegin', epoch, ctx);
    progress.epochBegin(epoch);
    model.train();
    const tally = new Tally();
    const total = lengthOf(options.data);
    let step = 0;
    for await (const [x, y] of batches(options.data)) {
      optimizer.zeroGrad();
      const prediction = run(x);
      const l = lossOf(loss, prediction, y);
      l.backward();
      optimizer.step();
      const batchLogs = measure(prediction.detach(), y, l.item(), metrics);
      tally.add(x.shape[0] ?? 1, batchLogs);
      step++;
      await call(callbacks, 'onBatchEnd', step - 1, batchLogs, ctx);
      progress.batch(step, total, tally.samples, tally.means());
      await tick();
      if (signal?.aborted) ctx.stop('aborted');
      if (stopReason === 'aborted') break;
    }
    logs = tally.means();
    if (options.validationData && stopReason !== 'aborted') Object.assign(logs, await evaluate(model, options.validationData, { loss, metrics, prefix: 'val' }));
    const lr = optimizer.paramGroups?.[0]?.lr;
    if (lr !== undefined) logs.lr = lr;
    history.record(epoch, logs);
    progress.epochEnd(epoch, step, tally.samples, logs);
    await call(callbacks, 'onEpochEnd', epoch, logs, ctx);
  }
  history.stoppedBecause = stopReason;
  await call(callbacks, 'onTrainEnd', logs, ctx);
  return history;
}

export interface EvaluateOptions {
  loss?: LossFn;
  metrics?: Metric[];
  /** Prefix for the returned names: 'val' gives valLoss, valAccuracy. */
  prefix?: string;
}

/** The mean loss and metrics over all batches, in eval mode without recording a graph. */
export async function evaluate(model: AnyModule, data: BatchSource, options: EvaluateOptions = {}): Promise<Logs> {
  const run = model as unknown as Run;
  const wasTraining = model.training;
  model.eval();
  const tally = new Tally();
  try {
    for await (const [x, y] of batches(data)) {
      const logs = noGrad(() => {
        const p = run(x);
        const values: Logs = options.loss ? { loss: lossOf(options.loss, p, y).item() } : {};
        for (const m of options.metrics ?? []) values[metricName(m)] = metricFn(m)(p, y);
        return values;
      });
      tally.add(x.shape[0] ?? 1, logs);
      await tick();
    }
  } finally {
    model.train(wasTraining);
  }
  return tally.means(options.prefix);
}

/** The model's outputs for `input` (a tensor, split into batches, or a source of batches), concatenated. */
export async function predict(model: AnyModule, input: Tensor | BatchSource, options: { batchSize?: number } = {}): Promise<Tensor> {
  const run = model as unknown as Run;
  const wasTraining = model.training;
  model.eval();
  const outputs: Tensor[] = [];
  try {
    if (input instanceof Tensor) {
      const size = options.batchSize ?? 256;
      for (let i = 0; i < input.shape[0]; i += size) {
        outputs.push(noGrad(() => run(input.narrow(0, i, Math.min(size, input.shape[0] - i)))));
        await tick();
      }
    } else {
      for await (const b of batches(input)) {
        outputs.push(noGrad(() => run(b[0])));
        await tick();
      }
    }
  } finally {
    model.train(wasTraining);
  }
  if (outputs.length === 0) throw new RangeError('predict: no inputs');
  return cat(outputs, 0);
}
