// Debian's python3-torch as a benchmark peer, on an honest number of cores. Its matrix products
// go to OpenBLAS, whose own thread pool ignores torch.set_num_threads: left alone, a "one-thread"
// run used every core for its Linear layers (MLP inference at batch 1000: 328K samples/s, against
// 187K with OpenBLAS held to one thread), and a two-thread run had the two pools fight over two
// cores (62K). So each run sets both, and a peer on n cores is the better of two ways to split them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export const PYTHON = '/usr/bin/python3';

/**
 * The ways to run PyTorch on `cores` cores: [threads for torch's own ops, OpenBLAS threads]. Both
 * at `cores` is left out: the pools then fight (MLP training on two cores: 16K samples/s, against
 * 54K with torch on 2 and OpenBLAS on 1, and 60K the other way round).
 */
export function torchSplits(cores) {
  return cores <= 1 ? [[1, 1]] : [[cores, 1], [1, cores]];
}

/** `torch 2 + BLAS 1`: how a split reads in a table. */
export function splitLabel([ops, blas]) {
  return `torch ${ops} + BLAS ${blas}`;
}

/**
 * The JSON object that `script args...` prints on its last line, run with OpenBLAS on
 * `blasThreads` threads (the script sets torch's own from its arguments); null where Python or
 * torch is missing or the run fails.
 */
export function runTorch(script, args, blasThreads) {
  if (!fs.existsSync(PYTHON)) return null;
  try {
    const env = { ...process.env, OPENBLAS_NUM_THREADS: String(blasThreads) };
    const out = execFileSync(PYTHON, [script, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env });
    const r = JSON.parse(out.trim().split('\n').pop());
    return r.error ? null : r;
  } catch {
    return null;
  }
}

/**
 * Runs `argsFor(torchThreads)` under every split of `cores` and returns each result with its
 * split, failures left out.
 */
export function torchRuns(script, cores, argsFor) {
  return torchSplits(cores)
    .map((split) => ({ split, result: runTorch(script, argsFor(split[0]), split[1]) }))
    .filter((run) => run.result !== null);
}
