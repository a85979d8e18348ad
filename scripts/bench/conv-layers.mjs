// `npm run bench -- conv-layers [--threads 2] [--batches 10,64] [--rounds 2] [--quick]`: forward
// and backward of each convolution and max-pooling layer of the MNIST CNNs (Nielsen's and the
// Fashion tutorial's) and of a small modern 3x3 CNN, through the native exports, against the
// same layers in PyTorch (scripts/bench/conv_layers_torch.py, Debian's python3-torch) and in
// @tensorflow/tfjs's cpu backend (its kernels called directly, NHWC; the tutorial nets at the
// smallest batch) in the same run. Medians of
// repeated timings; tensorgrad and PyTorch run `rounds` times, interleaved, and keep their best
// median, since these machines are noisy; tfjs, far slower, runs once.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { medianSeconds, printTable } from './_stats.mjs';
import { PYTHON, torchRuns } from './torch_peer.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const require = createRequire(import.meta.url);

/** [network, layer name, layer] for batch n; the first conv of a network needs no input gradient. */
function layers(n) {
  const conv = (x, w, relu, padding = 0, first = false) => ({ kind: 'conv', x, w, stride: 1, padding, relu, first });
  const pool = (x) => ({ kind: 'maxpool', x, k: 2 });
  return [
    ['nielsen', 'conv1 1->20 5x5 28x28', conv([n, 1, 28, 28], [20, 1, 5, 5], false, 0, true)],
    ['nielsen', 'pool1 20x24x24', pool([n, 20, 24, 24])],
    ['nielsen', 'conv2 20->40 5x5 12x12', conv([n, 20, 12, 12], [40, 20, 5, 5], false)],
    ['nielsen', 'pool2 40x8x8', pool([n, 40, 8, 8])],
    ['fashion', 'conv1 1->6 5x5 +relu', conv([n, 1, 28, 28], [6, 1, 5, 5], true, 0, true)],
    ['fashion', 'pool1 6x24x24', pool([n, 6, 24, 24])],
    ['fashion', 'conv2 6->12 5x5 +relu', conv([n, 6, 12, 12], [12, 6, 5, 5], true)],
    ['fashion', 'pool2 12x8x8', pool([n, 12, 8, 8])],
    ['3x3 cnn', 'conv1 1->32 3x3 p1 28x28', conv([n, 1, 28, 28], [32, 1, 3, 3], true, 1, true)],
    ['3x3 cnn', 'conv2 32->32 3x3 p1 28x28', conv([n, 32, 28, 28], [32, 32, 3, 3], true, 1)],
    ['3x3 cnn', 'pool 32x28x28', pool([n, 32, 28, 28])],
    ['3x3 cnn', 'conv3 32->64 3x3 p1 14x14', conv([n, 32, 14, 14], [64, 32, 3, 3], true, 1)],
  ];
}

const numel = (s) => s.reduce((a, b) => a * b, 1);
const filled = (n) => Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5);

/** Median seconds of each pass of one layer through the native exports. */
function timeOurs(native, layer) {
  const x = filled(numel(layer.x));
  if (layer.kind === 'maxpool') {
    const [n, c, h, w] = layer.x;
    const outShape = [n, c, Math.floor(h / 2), Math.floor(w / 2)];
    const out = new Float32Array(numel(outShape));
    const idx = new Int32Array(out.length);
    const dy = filled(out.length);
    const dx = new Float32Array(x.length);
    const k = [layer.k, layer.k];
    const forward = () => native.maxPool2d(x, layer.x, k, k, [0, 0], [1, 1], false, out, outShape, idx);
    forward();
    return { forward: medianSeconds(forward), backward: medianSeconds(() => native.maxPool2dBackward(dy, outShape, idx, dx, layer.x)) };
  }
  const [n, , h, w] = layer.x;
  const [o, , kh, kw] = layer.w;
  const p = layer.padding;
  const outShape = [n, o, h + 2 * p - kh + 1, w + 2 * p - kw + 1];
  const wt = filled(numel(layer.w));
  const b = filled(o);
  const out = new Float32Array(numel(outShape));
  const dy = filled(out.length);
  const dx = new Float32Array(x.length);
  const dw = new Float32Array(wt.length);
  const db = new Float32Array(o);
  const s = [1, 1];
  const pad = [p, p];
  return {
    forward: medianSeconds(() => native.conv2d(x, layer.x, wt, layer.w, b, s, pad, s, 1, layer.relu, out, outShape)),
    input: medianSeconds(() => native.conv2dBackwardInput(dy, outShape, wt, layer.w, s, pad, s, 1, dx, layer.x)),
    weight: medianSeconds(() => native.conv2dBackwardWeight(dy, outShape, x, layer.x, s, pad, s, 1, dw, layer.w, db)),
  };
}

/** Median seconds of each pass of one layer through tfjs's registered cpu kernels. */
function timeTfjs(tf, layer) {
  const nhwc = ([n, c, h, w]) => [n, h, w, c];
  const time = (fn) => medianSeconds(() => tf.dispose(tf.tidy(fn)), { minSeconds: 0, repeats: 3 });
  const made = [];
  const keep = (t) => (made.push(t), t);
  const x = keep(tf.randomUniform(nhwc(layer.x)));
  const run = (kernel, inputs, attrs) => tf.engine().runKernel(kernel, inputs, attrs);
  try {
    if (layer.kind === 'maxpool') {
      const attrs = { filterSize: layer.k, strides: layer.k, pad: 'valid' };
      const y = keep(tf.maxPool(x, layer.k, layer.k, 'valid'));
      const dy = keep(tf.onesLike(y));
      return {
        forward: time(() => tf.maxPool(x, layer.k, layer.k, 'valid')),
        backward: time(() => run('MaxPoolGrad', { dy, input: x, output: y }, attrs)),
      };
    }
    const [o, c, kh, kw] = layer.w;
    const w = keep(tf.randomUniform([kh, kw, c, o]));
    const b = keep(tf.randomUniform([o]));
    const p = layer.padding;
    const pad = p === 0 ? 'valid' : [[0, 0], [p, p], [p, p], [0, 0]];
    const forward = () => tf.fused.conv2d({ x, filter: w, bias: b, strides: 1, pad, activation: layer.relu ? 'relu' : 'linear' });
    const dy = keep(tf.tidy(() => tf.onesLike(forward())));
    const attrs = { strides: [1, 1], pad, dataFormat: 'NHWC' };
    return {
      forward: time(forward),
      input: time(() => run('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: x.shape })),
      weight: time(() => [run('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }), tf.sum(dy, [0, 1, 2])]),
    };
  } finally {
    tf.dispose(made);
  }
}

/** tfjs with its cpu backend, or null where it is not installed. */
async function loadTfjs() {
  try {
    const tf = require('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    return tf;
  } catch {
    return null;
  }
}

/** PyTorch's seconds per pass of each layer on `cores` cores, each at its best split of them. */
function timeTorch(cores, specs) {
  const runs = torchRuns(path.join(here, 'conv_layers_torch.py'), cores, (ops) => [String(ops), JSON.stringify(specs)]);
  if (!runs.length) return null;
  const results = specs.map((_, i) => {
    const passes = {};
    for (const pass of Object.keys(runs[0].result.results[i])) passes[pass] = Math.min(...runs.map((r) => r.result.results[i][pass]));
    return passes;
  });
  return { torch: runs[0].result.torch, results };
}

function parseArgs(args) {
  const opts = { threads: [2], batches: [10, 64], rounds: 2, quick: false };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--threads') opts.threads = args[++i].split(',').map(Number);
    else if (args[i] === '--batches') opts.batches = args[++i].split(',').map(Number);
    else if (args[i] === '--rounds') opts.rounds = Number(args[++i]);
    else if (args[i] === '--quick') opts.quick = true;
    else if (args[i] === '--help') opts.help = true;
    else throw new Error(`bench conv-layers: unknown option ${args[i]}`);
  }
  return opts;
}

const USAGE = `usage: npm run bench -- conv-layers [--threads 2] [--batches 10,64] [--rounds 2] [--quick]
  Milliseconds per call of each conv and max-pool layer of the MNIST CNNs (Nielsen's, the Fashion
  tutorial's) and a small 3x3 CNN: forward, input gradient and weight (+ bias) gradient for convs,
  forward (with indices) and backward for pooling; tensorgrad's native kernels against PyTorch
  (${PYTHON}, python3-torch, each layer at its best split of the cores between its own threads and
  OpenBLAS's) and tfjs's cpu backend, and the speedups (their time / tensorgrad's).
  --quick: the MNIST networks only, one round.`;

export async function main(args) {
  const opts = parseArgs(args);
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  if (opts.quick) opts.rounds = 1;
  const { native } = require(path.join(root, 'dist/cjs/backend/load.js'));
  const tg = require(path.join(root, 'dist/cjs/index.js'));
  console.log(`tensorgrad ${tg.info().version}, kernel set ${tg.info().isa.selected}`);
  const tf = await loadTfjs();
  const rows = [];
  let torchVersion = null;
  for (const threads of opts.threads) {
    for (const n of opts.batches) {
      const list = layers(n).filter(([net]) => !opts.quick || net !== '3x3 cnn');
      const specs = list.map(([, , l]) => l);
      const ours = [];
      const peer = [];
      // tfjs's cpu kernels take seconds per call on the larger layers: the tutorial nets at the
      // smallest batch only.
      const tfjs = tf && n === Math.min(...opts.batches) ? list.map(([net, , l]) => (net === '3x3 cnn' ? null : timeTfjs(tf, l))) : null;
      for (let r = 0; r < opts.rounds; r++) {
        tg.setNumThreads(threads);
        ours.push(specs.map((l) => timeOurs(native, l)));
        const t = timeTorch(threads, specs);
        if (t) {
          torchVersion = t.torch;
          peer.push(t.results);
        }
      }
      list.forEach(([net, name, layer], i) => {
        const passes = layer.kind === 'conv' ? ['forward', 'input', 'weight'] : ['forward', 'backward'];
        for (const pass of passes) {
          const best = (runs) => (runs.length ? Math.min(...runs.map((run) => run[i][pass])) : NaN);
          const a = best(ours);
          const b = best(peer);
          const t = tfjs?.[i]?.[pass] ?? NaN;
          const tfjsNote = tf ? 'not run' : 'not installed';
          rows.push({
            net,
            layer: name,
            batch: n,
            threads,
            pass: pass === 'input' && layer.first ? 'input (unused)' : pass,
            'tensorgrad ms': (a * 1e3).toFixed(3),
            'PyTorch ms': Number.isNaN(b) ? 'not installed' : (b * 1e3).toFixed(3),
            speedup: Number.isNaN(b) ? 'n/a' : (b / a).toFixed(2),
            'tfjs cpu ms': Number.isNaN(t) ? tfjsNote : (t * 1e3).toFixed(3),
            'vs tfjs': Number.isNaN(t) ? 'n/a' : (t / a).toFixed(1),
          });
        }
      });
    }
  }
  if (torchVersion) console.log(`PyTorch ${torchVersion}`);
  if (tf) console.log(`@tensorflow/tfjs ${tf.version.tfjs}, cpu backend`);
  printTable(rows, ['net', 'layer', 'batch', 'threads', 'pass', 'tensorgrad ms', 'PyTorch ms', 'speedup', 'tfjs cpu ms', 'vs tfjs']);
  return 0;
}
