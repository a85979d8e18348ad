// `npm run bench -- conv [--threads 2] [--quick]`: the two tutorial CNNs. Training samples/s of
// Nielsen's network (batch 10 and 64) and of the Fashion-MNIST network (batch 100), and
// inference samples/s, for tensorgrad and, in the same run, PyTorch through Debian's
// python3-torch (scripts/bench/train_torch.py) and @tensorflow/tfjs's cpu backend (its wasm
// backend cannot train a CNN: Conv2DBackpropFilter is not registered there). Then the per-layer
// forward and backward times against PyTorch (scripts/bench/conv-layers.mjs) and tfjs cpu.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { printTable } from './_stats.mjs';
import { torchRuns } from './torch_peer.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const self = fileURLToPath(import.meta.url);
const layersScript = path.join(here, 'conv-layers.mjs');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function tgModel(tg, name) {
  const { nn } = tg;
  if (name === 'nielsen') {
    return new nn.Sequential(new nn.Conv2d(1, 20, 5), new nn.MaxPool2d(2), new nn.ReLU(), new nn.Conv2d(20, 40, 5), new nn.MaxPool2d(2), new nn.ReLU(), new nn.Flatten(), new nn.Linear(640, 100), new nn.Sigmoid(), new nn.Linear(100, 10));
  }
  if (name === 'modern') {
    const block = (cin, cout) => [new nn.Conv2d(cin, cout, 3, { padding: 1, bias: false }), new nn.BatchNorm2d(cout), new nn.ReLU()];
    return new nn.Sequential(
      ...block(1, 32), ...block(32, 32), new nn.MaxPool2d(2), ...block(32, 64), ...block(64, 64), new nn.MaxPool2d(2),
      new nn.Flatten(), new nn.Dropout(0.25), new nn.Linear(64 * 7 * 7, 10),
    );
  }
  return new nn.Sequential(
    new nn.Conv2d(1, 6, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Conv2d(6, 12, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
    new nn.Linear(192, 120), new nn.ReLU(), new nn.Linear(120, 60), new nn.ReLU(), new nn.Linear(60, 10),
  );
}

/** Samples per second of `run(steps)`, median of `runs` timed runs after a warm-up. */
function rate(run, samplesPerStep, steps, runs = 5) {
  // Warm-up: whole runs for at least a second, the time V8 takes to optimise a training step's
  // code (a fresh process's first runs are 25-30% slower). PyTorch's script warms up a run too.
  const start = performance.now();
  do run(steps);
  while (performance.now() - start < 1000);
  const rates = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    run(steps);
    rates.push((steps * samplesPerStep * 1000) / (performance.now() - t0));
  }
  return median(rates);
}

function tensorgrad(name, batch, steps) {
  const tg = require(path.join(root, 'dist/cjs/index.js'));
  tg.manualSeed(0);
  const model = tgModel(tg, name);
  const opt = name === 'nielsen' ? new tg.optim.SGD(model.parameters(), { lr: 0.1, weightDecay: 1e-4 }) : new tg.optim.Adam(model.parameters(), { lr: name === 'modern' ? 1e-3 : 0.01 });
  const xs = Array.from({ length: 4 }, () => tg.rand(batch, 1, 28, 28));
  const ys = Array.from({ length: 4 }, () => tg.randint(0, 10, [batch]));
  model.train();
  const training = rate((n) => {
    for (let i = 0; i < n; i++) {
      opt.zeroGrad();
      tg.crossEntropy(model(xs[i % 4]), ys[i % 4]).backward();
      opt.step();
    }
  }, batch, steps);
  model.eval();
  const xi = tg.rand(1000, 1, 28, 28);
  const inference = rate((n) => tg.noGrad(() => { for (let i = 0; i < n; i++) model(xi); }), 1000, 3);
  return { training, inference };
}

/** PyTorch on `cores` cores: training and inference each at its best split of them, or null. */
function pytorch(name, cores, batch, steps) {
  const runs = torchRuns(path.join(here, 'train_torch.py'), cores, (ops) => [name, String(ops), String(steps), String(batch), '1000']);
  if (!runs.length) return null;
  return { training: Math.max(...runs.map((r) => r.result.train)), inference: Math.max(...runs.map((r) => r.result.infer)) };
}

async function tfjsCpu(name, batch, steps) {
  let tf;
  try {
    tf = require('@tensorflow/tfjs');
  } catch {
    return null;
  }
  await tf.setBackend('cpu');
  const L = tf.layers;
  const layers = name === 'nielsen'
    ? [L.conv2d({ filters: 20, kernelSize: 5, inputShape: [28, 28, 1] }), L.maxPooling2d({ poolSize: 2 }), L.reLU(), L.conv2d({ filters: 40, kernelSize: 5 }), L.maxPooling2d({ poolSize: 2 }), L.reLU(), L.flatten(), L.dense({ units: 100, activation: 'sigmoid' }), L.dense({ units: 10 })]
    : [L.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [28, 28, 1] }), L.maxPooling2d({ poolSize: 2 }), L.conv2d({ filters: 12, kernelSize: 5, activation: 'relu' }), L.maxPooling2d({ poolSize: 2 }), L.flatten(), L.dense({ units: 120, activation: 'relu' }), L.dense({ units: 60, activation: 'relu' }), L.dense({ units: 10 })];
  const model = tf.sequential({ layers });
  const opt = name === 'nielsen' ? tf.train.sgd(0.1) : tf.train.adam(0.01);
  const x = tf.randomUniform([batch, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
  const training = rate((n) => {
    for (let i = 0; i < n; i++) opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), false);
  }, batch, steps, 3);
  const xi = tf.randomUniform([200, 28, 28, 1]);
  const inference = rate((n) => { for (let i = 0; i < n; i++) tf.tidy(() => model.predict(xi).dataSync()); }, 200, 1, 3);
  return { training, inference };
}

export async function main(args) {
  if (args.includes('--help')) {
    console.log('usage: npm run bench -- conv [--threads N] [--quick]\n  the tutorial CNNs: training and inference samples/s against PyTorch and tfjs cpu, then per-layer times');
    return 0;
  }
  const ti = args.indexOf('--threads');
  const threads = ti >= 0 ? Number(args[ti + 1]) : 2;
  const quick = args.includes('--quick');
  const fmt = (r, k) => (r ? Math.round(r[k]).toLocaleString('en-US') : 'not installed');
  const rows = [];
  const configs = [['nielsen', 10, 100], ['nielsen', 64, 24], ['fashion', 100, 40], ['modern', 128, 4]];
  const names = { nielsen: "Nielsen's CNN", fashion: 'Fashion CNN', modern: 'modern 3x3 CNN' };
  // The machine's speed drifts over minutes, so ours and PyTorch's runs alternate, and each side
  // keeps its best round (as the GEMM bench does): both then see the same machine.
  const rounds = quick ? 1 : 2;
  const better = (a, b) => (!a ? b : !b ? a : { training: Math.max(a.training, b.training), inference: Math.max(a.inference, b.inference) });
  for (const [name, batch, steps] of configs) {
    let ours = null;
    let bestTorch = null;
    for (let r = 0; r < rounds; r++) {
      ours = better(ours, inChild('tensorgrad', name, batch, steps, threads));
      bestTorch = better(bestTorch, pytorch(name, threads, batch, steps));
    }
    // tfjs's cpu backend would take minutes per step of the modern CNN.
    const tfjsRun = !quick && name !== 'modern';
    // One step per timed run: its filter gradient alone takes seconds per call.
    const tfjs = tfjsRun ? inChild('tfjs', name, batch, 1, threads) : null;
    rows.push({
      network: names[name],
      batch,
      'tensorgrad train/s': fmt(ours, 'training'),
      'PyTorch train/s': fmt(bestTorch, 'training'),
      ratio: bestTorch ? (ours.training / bestTorch.training).toFixed(2) : 'n/a',
      'tfjs cpu train/s': tfjsRun ? fmt(tfjs, 'training') : 'not run',
      'tensorgrad infer/s': fmt(ours, 'inference'),
      'PyTorch infer/s': fmt(bestTorch, 'inference'),
    });
  }
  console.log(`tensorgrad at ${threads} threads; PyTorch on ${threads} cores at its best split of them between its own threads and OpenBLAS's; each side's best of ${rounds} alternating round${rounds > 1 ? 's' : ''} of median rates; inference at batch 1000 (tfjs: 200)`);
  printTable(rows, Object.keys(rows[0]));
  console.log("\n@tensorflow/tfjs's wasm backend cannot train these networks (no Conv2DBackpropFilter kernel).");
  if (fs.existsSync(layersScript)) {
    console.log('\nPer layer (scripts/bench/conv-layers.mjs):');
    execFileSync(process.execPath, [self, '--layers', ...args.filter((a) => a !== '--quick')], { stdio: 'inherit' });
  }
  return 0;
}

// Each library measures each network in a process of its own, as PyTorch's script does: tfjs's
// cpu backend leaves a heap behind that slowed tensorgrad's later measurements by a third when
// they shared one process.
function inChild(lib, name, batch, steps, threads) {
  const run = () => execFileSync(process.execPath, [self, '--child', lib, name, String(batch), String(steps), String(threads)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', lib === 'tensorgrad' ? 'inherit' : 'ignore'],
  });
  if (lib === 'tensorgrad') return JSON.parse(run().trim().split('\n').pop());
  try {
    return JSON.parse(run().trim().split('\n').pop());
  } catch {
    return null;
  }
}

if (process.argv[1] === self && process.argv[2] === '--child') {
  const [lib, name, batch, steps, threads] = process.argv.slice(3);
  require(path.join(root, 'dist/cjs/index.js')).setNumThreads(Number(threads));
  const result = lib === 'tensorgrad' ? tensorgrad(name, Number(batch), Number(steps)) : await tfjsCpu(name, Number(batch), Number(steps));
  console.log(JSON.stringify(result));
} else if (process.argv[1] === self && process.argv[2] === '--layers') {
  await (await import(pathToFileURL(layersScript).href)).main(process.argv.slice(3));
}
