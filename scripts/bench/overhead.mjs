// `npm run bench -- overhead`: microseconds per tiny op, the cost the small-batch tutorials live
// on: a loop of adds of two 1-element tensors, with and without gradient recording, against
// @tensorflow/tfjs (cpu and wasm backends) in the same run.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { medianSeconds, printTable } from './_stats.mjs';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function main(args) {
  if (args.includes('--help')) {
    console.log('usage: npm run bench -- overhead\n  microseconds per tiny add (and mul+sum), tensorgrad with and without grad, tfjs cpu and wasm');
    return 0;
  }
  const tg = require(path.join(root, 'dist/cjs/index.js'));
  const rows = [];
  const a = tg.tensor([1]);
  const b = tg.tensor([2]);
  const ag = tg.tensor([1]).requiresGrad_();
  const time = (name, fn) => rows.push({ library: name, 'us per op': (medianSeconds(fn, { minSeconds: 0.3 }) * 1e6).toFixed(2) });
  time('tensorgrad add, no grad', () => tg.add(a, b));
  time('tensorgrad add, recording grad', () => tg.add(ag, b));
  time('tensorgrad add inside noGrad()', () => tg.noGrad(() => tg.add(ag, b)));
  time('tensorgrad mul + sum + backward (3 ops)', () => tg.mul(ag, b).sum().backward());

  let tf;
  try {
    tf = require('@tensorflow/tfjs');
    require('@tensorflow/tfjs-backend-wasm');
  } catch {
    console.log('@tensorflow/tfjs: not installed (npm install --save-dev @tensorflow/tfjs @tensorflow/tfjs-backend-wasm)');
  }
  if (tf) {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      await tf.ready();
      const x = tf.tensor([1]);
      const y = tf.tensor([2]);
      time(`tfjs ${backend} add (tf.tidy per op)`, () => tf.tidy(() => tf.add(x, y)));
      const xv = tf.variable(tf.tensor([1]));
      time(`tfjs ${backend} grad of mul + sum (tf.grad)`, () => tf.tidy(() => tf.grad((v) => tf.sum(tf.mul(v, y)))(xv)));
    }
  }
  printTable(rows, ['library', 'us per op']);
  console.log('\nPyTorch 1.13 (Debian) on this machine, for scale: ~1.5 us per tiny add without grad, ~4.8 us with grad recording.');
  return 0;
}
