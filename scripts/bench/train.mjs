// `npm run bench -- train [--threads 1,2]`: training and inference samples/s of Keras's MNIST
// recipe (784-512-10 ReLU, RMSprop lr 1e-3, batch 128; inference at batch 1000) for tensorgrad and,
// in the same run, @tensorflow/tfjs (wasm and cpu backends) and PyTorch through Debian's
// python3-torch (scripts/bench/train_torch.py), each where installed. Synthetic inputs: the
// speed does not depend on the pixel values. Each number is the median of 5 timed runs.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './_stats.mjs';
import { splitLabel, torchRuns } from './torch_peer.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const TRAIN_BATCHES = 60;
const BATCH = 128;
const INFER_BATCH = 1000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeRuns(run) {
  await run(); // warm-up
  const rates = [];
  for (let r = 0; r < 5; r++) rates.push(await run());
  return median(rates);
}

async function tensorgrad(threads) {
  const tg = require(path.join(root, 'dist/cjs/index.js'));
  const { nn, optim } = tg;
  tg.setNumThreads(threads);
  tg.manualSeed(0);
  const model = new nn.Sequential(new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 10));
  const opt = new optim.RMSprop(model.parameters(), { lr: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss();
  const xs = Array.from({ length: 8 }, () => tg.rand(BATCH, 784));
  const ys = Array.from({ length: 8 }, () => tg.randint(0, 10, [BATCH]));
  const train = async () => {
    const t0 = performance.now();
    for (let i = 0; i < TRAIN_BATCHES; i++) {
      opt.zeroGrad();
      lossFn(model(xs[i % 8]), ys[i % 8]).backward();
      opt.step();
    }
    return (TRAIN_BATCHES * BATCH * 1000) / (performance.now() - t0);
  };
  const xi = tg.rand(INFER_BATCH, 784);
  const infer = async () => {
    const reps = 20;
    const t0 = performance.now();
    tg.noGrad(() => {
      for (let i = 0; i < reps; i++) model(xi);
    });
    return (reps * INFER_BATCH * 1000) / (performance.now() - t0);
  };
  model.train();
  const training = await timeRuns(train);
  model.eval();
  return { training, inference: await timeRuns(infer) };
}

async function tfjs(backend) {
  let tf;
  try {
    tf = require('@tensorflow/tfjs');
    if (backend === 'wasm') require('@tensorflow/tfjs-backend-wasm');
  } catch {
    return null;
  }
  await tf.setBackend(backend);
  await tf.ready();
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 10 })] });
  const opt = tf.train.rmsprop(1e-3);
  const xs = tf.randomUniform([BATCH, 784]);
  const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32'), 10);
  const batches = backend === 'cpu' ? 10 : 30;
  const train = async () => {
    const t0 = performance.now();
    for (let i = 0; i < batches; i++) {
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs)), true);
      loss.dataSync();
      loss.dispose();
    }
    return (batches * BATCH * 1000) / (performance.now() - t0);
  };
  const xi = tf.randomUniform([INFER_BATCH, 784]);
  const infer = async () => {
    const reps = backend === 'cpu' ? 2 : 5;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) tf.tidy(() => model.predict(xi).dataSync());
    return (reps * INFER_BATCH * 1000) / (performance.now() - t0);
  };
  return { training: await timeRuns(train), inference: await timeRuns(infer) };
}

/** PyTorch on `cores` cores at its best split of them (by training rate), or null. */
function pytorch(cores) {
  const runs = torchRuns(path.join(here, 'train_torch.py'), cores, (ops) => ['mlp', String(ops), String(TRAIN_BATCHES), String(BATCH), String(INFER_BATCH)]);
  if (!runs.length) return null;
  const best = runs.reduce((a, b) => (b.result.train > a.result.train ? b : a));
  return { training: best.result.train, inference: Math.max(...runs.map((r) => r.result.infer)), version: best.result.torch, split: best.split };
}

export async function main(args) {
  if (args.includes('--help')) {
    console.log('usage: npm run bench -- train [--threads 1,2]\n  Keras MNIST recipe samples/s: tensorgrad, tfjs (wasm, cpu), PyTorch, where installed');
    return 0;
  }
  const ti = args.indexOf('--threads');
  const threadList = ti >= 0 ? args[ti + 1].split(',').map(Number) : [1, 2];
  const rows = [];
  const fmt = (n) => Math.round(n).toLocaleString('en-US');
  const add = (name, threads, r) => rows.push({ library: name, threads, 'train samples/s': r ? fmt(r.training) : 'not installed', 'inference samples/s (batch 1000)': r ? fmt(r.inference) : 'not installed' });
  const results = {};
  for (const t of threadList) {
    results[`tg${t}`] = await tensorgrad(t);
    add('tensorgrad', t, results[`tg${t}`]);
    results[`pt${t}`] = pytorch(t);
    const pt = results[`pt${t}`];
    add(`PyTorch ${pt ? `${pt.version} (${splitLabel(pt.split)})` : ''}`.trim(), t, pt);
  }
  add('tfjs wasm', '-', await tfjs('wasm'));
  add('tfjs cpu', '-', await tfjs('cpu'));
  printTable(rows, ['library', 'threads', 'train samples/s', 'inference samples/s (batch 1000)']);
  const best = (prefix) => Math.max(...threadList.map((t) => results[`${prefix}${t}`]?.training ?? 0));
  if (best('pt') > 0) {
    console.log("\nPyTorch on n cores: the best of its splits between its own threads and OpenBLAS's, for training and for inference each (the label names training's)");
    console.log(`tensorgrad / PyTorch (best thread setting each), training: ${(best('tg') / best('pt')).toFixed(2)}x`);
  }
  // The recipe's multiply-adds per training sample: forward 784*512 + 512*10, backward twice the
  // weight gradients (no gradient for the input): 3 * (784*512 + 512*10) MACs, 2 FLOP each.
  const flopsPerSample = 2 * 3 * (784 * 512 + 512 * 10);
  console.log(`tensorgrad's best training rate is ${((best('tg') * flopsPerSample) / 1e9).toFixed(0)} GFLOP/s of useful work (${flopsPerSample / 1e6} MFLOP per sample).`);
  return 0;
}
