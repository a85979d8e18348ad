// The addon is context-aware: it loads in several worker threads at once, and kernels run in all
// of them while the main thread runs its own.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loaded } from '../lib/backend/load';

const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const addon = require(workerData.file);
const n = 96;
const a = new Float32Array(n * n).map((_, i) => (i % 7) - 3);
const out = new Float32Array(n * n);
let checksum = 0;
for (let round = 0; round < 200; round++) {
  addon.matmul(a, [n, n], false, a, [n, n], false, out, [n, n]);
  addon.binary(0, out, [n, n], a, [n, n], out, [n, n]);
  checksum = out.reduce((s, v) => s + v, 0);
}
parentPort.postMessage({ checksum, isa: addon.buildInfo().isa });
`;

function runWorker(): Promise<{ checksum: number; isa: string }> {
  return new Promise((resolve, reject) => {
    const w = new Worker(workerSource, { eval: true, workerData: { file: loaded.file } });
    w.once('message', resolve);
    w.once('error', reject);
    w.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });
}

describe('worker threads', () => {
  it('load the addon and run kernels beside the main thread', async () => {
    const workers = [runWorker(), runWorker()];
    const n = 96;
    const a = new Float32Array(n * n).map((_, i) => (i % 7) - 3);
    const out = new Float32Array(n * n);
    let checksum = 0;
    for (let round = 0; round < 200; round++) {
      loaded.addon.matmul(a, [n, n], false, a, [n, n], false, out, [n, n]);
      loaded.addon.binary(0, out, [n, n], a, [n, n], out, [n, n]);
      checksum = out.reduce((s, v) => s + v, 0);
    }
    const results = await Promise.all(workers);
    for (const r of results) {
      expect(r.checksum).toBe(checksum);
      expect(r.isa).toBe(loaded.addon.buildInfo().isa);
    }
  });
});
