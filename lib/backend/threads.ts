import { native } from './load';

/**
 * Threads the native kernels use, the calling thread included. The pool is shared by the whole
 * process (every worker thread too), as torch.set_num_threads is. The default is the number of
 * cores this process may run on, or TENSORGRAD_NUM_THREADS when set.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new RangeError(`setNumThreads: n must be an integer from 1 to 1024, got ${n}`);
  }
  native.setNumThreads(n);
}

export function getNumThreads(): number {
  return native.getNumThreads();
}
