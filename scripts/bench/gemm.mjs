// `npm run bench -- gemm [--threads 1,2] [--quick] [--offset BYTES]`: tensorgrad's SGEMM against
// OpenBLAS (Debian's libopenblas-dev, called from a small C program built here) in the same run,
// and against the machine's FMA peak measured by another small C program. tensorgrad is timed
// twice: through Node (`native.gemm`, what a user's 2-D matmul costs) and from a C++ program
// linked with the kernels built by CMake, like OpenBLAS (the kernel alone, without the binding's
// cost per call). On all three, every operand starts BYTES past a 64-byte boundary: by default 0,
// where tensorgrad places a tensor's data. Where Debian's python3-torch is installed, the square
// shapes from 256 up are also timed in oneDNN's JIT kernels (gemm_onednn.py): what the best GEMM
// on the machine makes of its FMA peak, for the target that is a share of that peak.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { medianSeconds, printTable } from './_stats.mjs';
import { runTorch } from './torch_peer.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..');
const require = createRequire(import.meta.url);

/** Alternating rounds of tensorgrad and OpenBLAS per shape. */
const ROUNDS = 3;

/** [label, M, N, K, transA, transB] */
const SHAPES = [
  ...[64, 128, 256, 512, 1024, 2048].map((n) => [`square ${n}`, n, n, n, false, false]),
  ...[10, 128, 1000].flatMap((b) => [
    [`mlp fwd1 b${b}`, b, 512, 784, false, true],
    [`mlp fwd2 b${b}`, b, 10, 512, false, true],
    [`mlp wgrad1 b${b}`, 784, 512, b, true, false],
    [`mlp wgrad2 b${b}`, 512, 10, b, true, false],
    [`mlp dgrad1 b${b}`, b, 784, 512, false, false],
  ]),
  ['conv1 28x28 1->20', 20, 576, 25, false, false],
  ['conv2 12x12 20->40', 40, 64, 500, false, false],
  ['conv1 x10 images', 20, 5760, 25, false, false],
  ['conv2 x64 images', 40, 4096, 500, false, false],
  ['conv2 wgrad x64', 40, 500, 4096, false, true],
];

export function buildTool(name, libs) {
  const out = path.join(root, '.bench', name);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  try {
    execFileSync('cc', ['-O3', path.join(here, `${name}.c`), '-o', out, ...libs], { stdio: 'pipe' });
    return out;
  } catch (e) {
    return { error: String(e.stderr ?? e.message).split('\n')[0] };
  }
}

/** tensorgrad's kernels as a static library (CMake, in .bench/kernels), linked into gemm_kernel.cc. */
export function buildKernelTool() {
  const dir = path.join(root, '.bench', 'kernels');
  const out = path.join(root, '.bench', 'gemm_kernel');
  try {
    execFileSync('cmake', ['-S', root, '-B', dir, '-DCMAKE_BUILD_TYPE=Release'], { stdio: 'pipe' });
    execFileSync('cmake', ['--build', dir, '--target', 'tensorgrad_kernels', '-j', '4'], { stdio: 'pipe' });
    const lib = path.join(dir, 'libtensorgrad_kernels.a');
    execFileSync('c++', ['-O2', '-std=c++17', path.join(here, 'gemm_kernel.cc'), lib, '-lpthread', '-o', out], { stdio: 'pipe' });
    return out;
  } catch (e) {
    return { error: String(e.stderr ?? e.message).split('\n')[0] };
  }
}

function parseArgs(args) {
  const opts = { threads: [1, 2], quick: false, offset: 0 };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--threads') opts.threads = args[++i].split(',').map(Number);
    else if (args[i] === '--quick') opts.quick = true;
    else if (args[i] === '--offset') opts.offset = Number(args[++i]);
    else if (args[i] === '--help') opts.help = true;
    else throw new Error(`bench gemm: unknown option ${args[i]}`);
  }
  if (!(Number.isInteger(opts.offset) && opts.offset >= 0 && opts.offset < 64 && opts.offset % 4 === 0)) {
    throw new Error(`bench gemm: --offset must be a multiple of 4 in [0, 60], got ${opts.offset}`);
  }
  return opts;
}

/**
 * oneDNN's GFLOP/s on `threads` threads for the square sizes among `shapes` from 256 up, as
 * { n: GFLOP/s }, the better of a run before (`earlier`) and this one; earlier where torch is
 * missing.
 */
function oneDnnSquares(shapes, threads, earlier = {}) {
  const sizes = shapes.filter(([label, m, n, k]) => label.startsWith('square') && m >= 256 && m === n && n === k).map((s) => String(s[1]));
  const now = sizes.length ? runTorch(path.join(here, 'gemm_onednn.py'), [String(threads), ...sizes], 1) ?? {} : {};
  return Object.fromEntries(sizes.filter((n) => n in now || n in earlier).map((n) => [n, Math.max(now[n] ?? 0, earlier[n] ?? 0)]));
}

/** The larger of two measurements, NaN only when both are. */
function best(a, b) {
  return Number.isNaN(a) ? b : Number.isNaN(b) ? a : Math.max(a, b);
}

export async function main(args) {
  const opts = parseArgs(args);
  if (opts.help) {
    console.log('usage: npm run bench -- gemm [--threads 1,2] [--quick] [--offset BYTES]\n  SGEMM GFLOP/s: tensorgrad through Node and from C, OpenBLAS, ratios, share of FMA peak\n  (and oneDNN\'s share on the squares from 256 up, where python3-torch is installed);\n  operands start BYTES (a multiple of 4 below 64, default 0) past a 64-byte boundary');
    return 0;
  }
  const { native } = require(path.join(root, 'dist/cjs/backend/load.js'));
  const tg = require(path.join(root, 'dist/cjs/index.js'));
  // n floats at opts.offset bytes past a 64-byte boundary, like the C programs' operands.
  const placed = (n, value = () => 0) => {
    const buffer = new ArrayBuffer(4 * n + 128);
    const x = new Float32Array(buffer, (native.alignmentGap(buffer, 0) + opts.offset) % 64, n);
    for (let i = 0; i < n; i++) x[i] = value(i);
    return x;
  };
  const shapes = opts.quick ? SHAPES.filter((s) => /square (256|1024)|fwd1 b128|wgrad1 b128/.test(s[0])) : SHAPES;

  // The peak is the best of every measurement in the run: three before the shapes and one after
  // each shape, so that a product timed while the machine runs fast is not set against a peak
  // taken while it ran slow (the one-thread peak reads 213-236 GFLOP/s from run to run on the Xeon,
  // and one taken while the two vCPUs share a core reads as half the two-thread peak).
  const peakTool = buildTool('fma_peak', ['-lpthread']);
  const peaks = {};
  const peakRange = {};
  const measurePeaks = (threads) => {
    if (typeof peakTool !== 'string') return;
    for (const line of execFileSync(peakTool, [String(threads)], { encoding: 'utf8' }).trim().split('\n')) {
      const [t, g] = line.split(' ').map(Number);
      peaks[t] = Math.max(peaks[t] ?? 0, g);
      peakRange[t] = [Math.min(peakRange[t]?.[0] ?? g, g), Math.max(peakRange[t]?.[1] ?? g, g)];
    }
  };
  for (let run = 0; run < 3; run++) measurePeaks(Math.max(...opts.threads));
  const blasTool = buildTool('gemm_openblas', ['-I/usr/include/x86_64-linux-gnu/openblas-pthread', '-lopenblas']);
  const kernelTool = buildKernelTool();
  const info = tg.info();
  console.log(`tensorgrad ${info.version}, kernel set ${info.isa.selected}, ${info.cpuFeatures.length} CPU features; ` +
    `FMA peak before the shapes ${Object.entries(peaks).map(([t, g]) => `${g} GFLOP/s at ${t} thread${t === '1' ? '' : 's'}`).join(', ') || 'not measured'}; ` +
    `operands ${opts.offset} bytes past a 64-byte boundary`);
  if (typeof blasTool !== 'string') console.log(`OpenBLAS: not installed (${blasTool.error}); apt-get install libopenblas-dev`);
  if (typeof kernelTool !== 'string') console.log(`kernel from C: not built (${kernelTool.error}); it needs cmake and c++`);

  // The two vCPUs of these machines are sometimes scheduled onto one physical core, which halves
  // two-thread throughput for a while. Each shape is measured in three alternating rounds (ours
  // through Node, ours from C, peer), and each side reports its best round, so all see the same
  // machine.
  const rows = [];
  for (const threads of opts.threads) {
    tg.setNumThreads(threads);
    const offsetEnv = { ...process.env, GEMM_BYTE_OFFSET: String(opts.offset) };
    const peerEnv = { ...offsetEnv, OPENBLAS_NUM_THREADS: String(threads) };
    const kernelEnv = { ...offsetEnv, TENSORGRAD_NUM_THREADS: String(threads) };
    // oneDNN runs before and after this thread count's shapes, and its better run counts: the
    // vCPUs sharing a core for a while slows one run, as it does one round of the others.
    let oneDnn = oneDnnSquares(shapes, threads);
    if (!Object.keys(oneDnn).length && threads === opts.threads[0]) {
      console.log('oneDNN: not measured (it needs /usr/bin/python3 with torch: apt-get install python3-torch)');
    }
    const threadRows = rows.length;
    for (const [label, m, n, k, ta, tb] of shapes) {
      const a = placed(m * k, (i) => (i % 13) / 13 - 0.5);
      const b = placed(k * n, (i) => (i % 7) / 7 - 0.5);
      const c = placed(m * n);
      const flops = 2 * m * n * k;
      const oursOnce = () => flops / medianSeconds(() => native.gemm(a, ta, b, tb, c, m, n, k)) / 1e9;
      const shapeArg = `${m},${n},${k},${+ta},${+tb}`;
      const toolOnce = (tool, env) => (typeof tool === 'string' ? Number(execFileSync(tool, [shapeArg], { encoding: 'utf8', env })) : NaN);
      let ours = 0;
      let kernel = NaN;
      let peer = NaN;
      for (let round = 0; round < ROUNDS; round++) {
        ours = Math.max(ours, oursOnce());
        kernel = best(kernel, toolOnce(kernelTool, kernelEnv));
        peer = best(peer, toolOnce(blasTool, peerEnv));
      }
      const ratio = (x) => (Number.isNaN(peer) || Number.isNaN(x) ? 'n/a' : (x / peer).toFixed(2));
      rows.push({
        shape: label,
        'M x N x K': `${m}x${n}x${k}`,
        op: `${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`,
        threads,
        'tensorgrad GFLOP/s': ours.toFixed(1),
        'from C': Number.isNaN(kernel) ? 'n/a' : kernel.toFixed(1),
        'OpenBLAS GFLOP/s': Number.isNaN(peer) ? 'n/a' : peer.toFixed(1),
        ratio: ratio(ours),
        'ratio from C': ratio(kernel),
        gflops: ours,
        square: label.startsWith('square') ? String(m) : null,
      });
      measurePeaks(threads);
    }
    if (Object.keys(oneDnn).length) oneDnn = oneDnnSquares(shapes, threads, oneDnn);
    for (const row of rows.slice(threadRows)) row.oneDnn = row.square ? oneDnn[row.square] : undefined;
  }
  for (const row of rows) {
    const share = (g) => (peaks[row.threads] ? `${((100 * g) / peaks[row.threads]).toFixed(0)}%` : 'n/a');
    row['% peak'] = share(row.gflops);
    if (row.oneDnn !== undefined) row['oneDNN % peak'] = share(row.oneDnn);
  }
  const range = Object.entries(peakRange).map(([t, [lo, hi]]) => `${lo}-${hi} GFLOP/s at ${t} thread${t === '1' ? '' : 's'}`);
  if (range.length) console.log(`FMA peak measured over the run: ${range.join(', ')}; % peak is against the highest`);
  printTable(rows, ['shape', 'M x N x K', 'op', 'threads', 'tensorgrad GFLOP/s', 'from C', 'OpenBLAS GFLOP/s', 'ratio', 'ratio from C', '% peak', 'oneDNN % peak']);
  return 0;
}
