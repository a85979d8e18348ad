// `npm run bench -- gemm-sweep [--layers 40] [--seed 1] [--threads 1] [--top 15]`: tensorgrad's
// SGEMM against OpenBLAS on the products of random fully connected layers, not only the shapes
// `gemm` lists: for each layer (batch x in -> out) its forward pass x W^T (batch x out x in, NT),
// input gradient dY W (batch x in x out, NN) and weight gradient dY^T X (out x in x batch, TN).
// Both are timed from C (scripts/bench/gemm_kernel.cc and gemm_openblas.c) in alternating rounds,
// each keeping its best, with every operand on a 64-byte boundary (GEMM_BYTE_OFFSET moves it);
// the table lists the `top` products furthest below OpenBLAS, then a summary of all ratios.
import { execFileSync } from 'node:child_process';
import { buildKernelTool, buildTool } from './gemm.mjs';
import { printTable } from './_stats.mjs';

const BATCHES = [1, 10, 32, 64, 100, 128, 256];
const FEATURES = [1, 2, 10, 32, 64, 100, 128, 256, 512, 784];
const ROUNDS = 3;
/** Products smaller than this are mostly call overhead on both sides; they are left out. */
const MIN_PRODUCTS = 20000;

function parseArgs(args) {
  const opts = { layers: 40, seed: 1, threads: 1, top: 15 };
  for (let i = 0; i < args.length; i++) {
    const key = args[i].replace(/^--/, '');
    if (args[i] === '--help') opts.help = true;
    else if (key in opts && i + 1 < args.length) opts[key] = Number(args[++i]);
    else throw new Error(`bench gemm-sweep: unknown option ${args[i]}`);
  }
  return opts;
}

/** A small seeded generator (mulberry32), so that a seed names a set of shapes. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The distinct products of `layers` random layers, as [kind, M, N, K, transA, transB]. */
function layerProducts(layers, seed) {
  const rng = random(seed);
  const pick = (list) => list[Math.floor(rng() * list.length)];
  const seen = new Set();
  const out = [];
  for (let i = 0; i < layers; i++) {
    const [b, fin, fout] = [pick(BATCHES), pick(FEATURES), pick(FEATURES)];
    for (const p of [['forward', b, fout, fin, 0, 1], ['input grad', b, fin, fout, 0, 0], ['weight grad', fout, fin, b, 1, 0]]) {
      const key = p.slice(1).join(',');
      if (p[1] * p[2] * p[3] < MIN_PRODUCTS || seen.has(key)) continue;
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

/** GFLOP/s per product from one run of a timing program over all of them. */
function timeAll(tool, products, env) {
  const shapes = products.map((p) => p.slice(1).join(','));
  return execFileSync(tool, shapes, { encoding: 'utf8', env }).trim().split('\n').map(Number);
}

export async function main(args) {
  const opts = parseArgs(args);
  if (opts.help) {
    console.log('usage: npm run bench -- gemm-sweep [--layers 40] [--seed 1] [--threads 1] [--top 15]\n' +
      '  SGEMM from C against OpenBLAS on the three products of random fully connected layers');
    return 0;
  }
  const blasTool = buildTool('gemm_openblas', ['-I/usr/include/x86_64-linux-gnu/openblas-pthread', '-lopenblas']);
  const kernelTool = buildKernelTool();
  if (typeof blasTool !== 'string') {
    console.log(`OpenBLAS: not installed (${blasTool.error}); apt-get install libopenblas-dev`);
    return 1;
  }
  if (typeof kernelTool !== 'string') {
    console.log(`kernel from C: not built (${kernelTool.error}); it needs cmake and c++`);
    return 1;
  }
  const products = layerProducts(opts.layers, opts.seed);
  const threads = String(opts.threads);
  const ours = products.map(() => 0);
  const peer = products.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    timeAll(kernelTool, products, { ...process.env, TENSORGRAD_NUM_THREADS: threads }).forEach((g, i) => (ours[i] = Math.max(ours[i], g)));
    timeAll(blasTool, products, { ...process.env, OPENBLAS_NUM_THREADS: threads }).forEach((g, i) => (peer[i] = Math.max(peer[i], g)));
  }
  const rows = products.map(([kind, m, n, k, ta, tb], i) => ({
    product: kind,
    'M x N x K': `${m}x${n}x${k}`,
    op: `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`,
    'tensorgrad GFLOP/s': ours[i].toFixed(1),
    'OpenBLAS GFLOP/s': peer[i].toFixed(1),
    ratio: ours[i] / peer[i],
  }));
  rows.sort((a, b) => a.ratio - b.ratio);
  const ratios = rows.map((r) => r.ratio);
  console.log(`${products.length} products of ${opts.layers} layers (seed ${opts.seed}), ${threads} thread(s); the ${opts.top} furthest below OpenBLAS:`);
  printTable(rows.slice(0, opts.top).map((r) => ({ ...r, ratio: r.ratio.toFixed(2) })),
    ['product', 'M x N x K', 'op', 'tensorgrad GFLOP/s', 'OpenBLAS GFLOP/s', 'ratio']);
  const share = (x) => `${((100 * ratios.filter((r) => r < x).length) / ratios.length).toFixed(0)}%`;
  console.log(`ratio: median ${ratios[Math.floor(ratios.length / 2)].toFixed(2)}, below 0.9: ${share(0.9)}, below 0.7: ${share(0.7)}`);
  return 0;
}
