// Throughput of the elementwise, reduction, softmax and cross-entropy kernels against a memcpy of
// the same bytes, measured in the same run:
// `npm run bench -- ops [--sizes 1e3,1e5,1e6,1e7] [--ops relu,sumRows] [--threads n]`.
import { createRequire } from 'node:module';
import { medianSeconds, printTable } from './_stats.mjs';

const require = createRequire(import.meta.url);

const usage = `usage: npm run bench -- ops [options]

Kernel throughput in GB/s (bytes read + written / median time) beside a memcpy of the same
bytes: a Uint8Array.prototype.set copy of half of them (so it reads and writes the same total),
single-threaded, in the same run. Elementwise ops run on n floats; reductions on n floats as a
[n / 1000, 1000] matrix (Rows: over its last dim, Cols: over its first; sum: over all);
softmax, logSoftmax and crossEntropy on [n / 10, 10] logits, as a 10-class layer makes.

options:
  --sizes a,b,...   float32 elements per operand (default 1e3,1e5,1e6,1e7)
  --ops a,b,...     ops to run (default all): OPS
  --threads n       kernel threads (default: the addon's default)
  --help            this text`;

/** Each op: bytes moved per element and a function that runs it once on prepared buffers. */
function makeOps(native, codes) {
  const { BinaryOpCode, UnaryOpCode, UnaryBackwardOpCode, CompareOpCode, ReduceOpCode, ArgReduceOpCode, LossReductionCode } = codes;
  // Reductions read n floats and write few: 4 bytes per element.
  const reduceRows = (op, dims) => ({
    bytes: 4,
    setup: (n, d) => {
      const shape = matrix(n, ROW);
      const out = new Float32Array(dims[0] === 1 ? shape[0] : shape[1]);
      return () => native.reduce(ReduceOpCode[op], d.x, shape, dims, out);
    },
  });
  const softmaxRows = (fn) => ({
    bytes: 8,
    setup: (n, d) => () => native[fn](d.x, matrix(n, CLASSES), 1, d.out),
  });
  const unary = (name) => ({
    bytes: 8,
    setup: (n, data) => () => native.unary(UnaryOpCode[name], data.x, data.out, 1, 20),
  });
  return {
    add: { bytes: 12, setup: (n, d) => () => native.binary(BinaryOpCode.add, d.x, [n], d.y, [n], d.out, [n]) },
    mul: { bytes: 12, setup: (n, d) => () => native.binary(BinaryOpCode.mul, d.x, [n], d.y, [n], d.out, [n]) },
    relu: unary('relu'),
    exp: unary('exp'),
    sigmoid: unary('sigmoid'),
    tanh: unary('tanh'),
    gelu: unary('gelu'),
    geluTanh: unary('geluTanh'),
    silu: unary('silu'),
    reluBackward: {
      bytes: 12,
      setup: (n, d) => () => native.unaryBackward(UnaryBackwardOpCode.relu, d.y, d.x, d.out, 0, 0),
    },
    geluBackward: {
      bytes: 12,
      setup: (n, d) => () => native.unaryBackward(UnaryBackwardOpCode.gelu, d.y, d.x, d.out, 0, 0),
    },
    lt: { bytes: 9, setup: (n, d) => () => native.compare(CompareOpCode.lt, d.x, [n], d.y, [n], d.mask, [n]) },
    where: {
      bytes: 13,
      setup: (n, d) => () => native.where(d.mask, [n], d.x, [n], d.y, [n], d.out, [n]),
    },
    sum: { bytes: 4, setup: (n, d) => () => native.reduce(ReduceOpCode.sum, d.x, [n], [0], d.scalar) },
    sumRows: reduceRows('sum', [1]),
    sumCols: reduceRows('sum', [0]),
    meanRows: reduceRows('mean', [1]),
    maxRows: reduceRows('max', [1]),
    argmaxRows: {
      bytes: 4,
      setup: (n, d) => {
        const shape = matrix(n, ROW);
        const indices = new Int32Array(shape[0]);
        return () => native.argReduce(ArgReduceOpCode.max, d.x, shape, 1, null, indices);
      },
    },
    varRows: {
      bytes: 4,
      setup: (n, d) => {
        const shape = matrix(n, ROW);
        const out = new Float32Array(shape[0]);
        return () => native.reduceVar(d.x, shape, [1], 1, out);
      },
    },
    softmax: softmaxRows('softmax'),
    logSoftmax: softmaxRows('logSoftmax'),
    // Logits read, their gradient written, a class index per row read.
    crossEntropy: {
      bytes: 8.4,
      setup: (n, d) => {
        const shape = matrix(n, CLASSES);
        const target = Int32Array.from({ length: shape[0] }, (_, i) => i % shape[1]);
        return () => native.crossEntropy(d.x, shape, target, null, -100, 0, LossReductionCode.mean, d.scalar, d.out);
      },
    },
  };
}

/** Row width of the reductions' matrix, and the classes of the softmax and loss rows. */
const ROW = 1000;
const CLASSES = 10;

/** [n / width, width], or one row of n when width does not divide n. */
function matrix(n, width) {
  return n % width === 0 ? [n / width, width] : [1, n];
}

function parseArgs(args, opNames) {
  const opts = { sizes: [1e3, 1e5, 1e6, 1e7], ops: opNames, threads: 0 };
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1];
    switch (args[i]) {
      case '--help':
        return null;
      case '--sizes':
        opts.sizes = value.split(',').map(Number);
        i++;
        break;
      case '--ops':
        opts.ops = value.split(',');
        i++;
        break;
      case '--threads':
        opts.threads = Number(value);
        i++;
        break;
      default:
        throw new Error(`ops: unknown option ${args[i]}\n\n${usage.replace('OPS', opNames.join(', '))}`);
    }
  }
  const bad = opts.ops.filter((o) => !opNames.includes(o));
  if (bad.length || opts.sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`ops: bad --ops or --sizes (${bad.join(', ') || opts.sizes.join(', ')})`);
  }
  return opts;
}

function buffers(n) {
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = Math.sin(i) * 4;
    y[i] = Math.cos(i) * 4;
  }
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = i & 1;
  return { x, y, mask, out: new Float32Array(n), scalar: new Float32Array(1) };
}

const memcpyCache = new Map();

/** Seconds for a single-threaded copy that reads and writes `bytes` in total. */
function memcpySeconds(bytes) {
  if (!memcpyCache.has(bytes)) {
    const src = new Uint8Array(bytes / 2).fill(1);
    const dst = new Uint8Array(bytes / 2);
    memcpyCache.set(bytes, medianSeconds(() => dst.set(src)));
  }
  return memcpyCache.get(bytes);
}

export async function main(args) {
  const { native } = require('../../dist/cjs/backend/load.js');
  const codes = require('../../dist/cjs/backend/addon-types.js');
  const ops = makeOps(native, codes);
  let opts;
  try {
    opts = parseArgs(args, Object.keys(ops));
  } catch (e) {
    console.error(e.message);
    return 2;
  }
  if (!opts) {
    console.log(usage.replace('OPS', Object.keys(ops).join(', ')));
    return 0;
  }
  if (opts.threads) native.setNumThreads(opts.threads);
  const info = native.buildInfo();
  console.log(`kernel set ${info.isa}, ${native.getNumThreads()} kernel threads; memcpy = Uint8Array.prototype.set, 1 thread`);
  console.log('GB/s = (bytes read + bytes written) / median time; memcpy copies half as many bytes, so it moves the same total\n');
  const rows = [];
  for (const n of opts.sizes) {
    const data = buffers(n);
    for (const name of opts.ops) {
      const op = ops[name];
      const bytes = op.bytes * n;
      const t = medianSeconds(op.setup(n, data));
      const tc = memcpySeconds(bytes);
      rows.push({
        op: name,
        elements: n.toExponential(0),
        'MB moved': (bytes / 1e6).toFixed(3),
        'median us': (t * 1e6).toFixed(1),
        'GB/s': (bytes / t / 1e9).toFixed(2),
        'memcpy us': (tc * 1e6).toFixed(1),
        'memcpy GB/s': (bytes / tc / 1e9).toFixed(2),
        'vs memcpy': `${((tc / t) * 100).toFixed(0)}%`,
      });
    }
  }
  printTable(rows, ['op', 'elements', 'MB moved', 'median us', 'GB/s', 'memcpy us', 'memcpy GB/s', 'vs memcpy']);
  return 0;
}
