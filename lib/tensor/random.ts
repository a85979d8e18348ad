import { allocFloat32, allocInt32 } from '../backend/storage';
import { cpu } from '../backend/cpu';
import { checkDType, type DType } from './dtype';
import { checkShape, numel, sizeArgs } from './shape';
import { withRequiresGrad } from './create';
import { Tensor } from './tensor';

/** PyTorch's default seed, so that an unseeded program is as repeatable as one in PyTorch. */
const DEFAULT_SEED = 67280421310721n;
const U32 = 0x1_0000_0000;

/** A position in the counter-based stream: the 64-bit key and the first block's counter. */
export interface RandomKey {
  keyLo: number;
  keyHi: number;
  counter: number;
}

/** A serialisable generator state (checkpoints keep it). */
export interface GeneratorState {
  seed: string;
  counter: number;
}

/**
 * A seeded source of random numbers: Philox4x32-10 keyed by the 64-bit seed, read at an
 * advancing counter. The numbers a call gets depend only on the seed and on how many were drawn
 * before, never on the thread count.
 */
export class Generator {
  private seed = DEFAULT_SEED;
  private counter = 0;

  constructor(seed: number | bigint = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Sets the seed (an integer; negative values wrap to 64 bits, as in PyTorch) and restarts. */
  manualSeed(seed: number | bigint): this {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
      throw new RangeError(`manualSeed: seed must be an integer, got ${seed}`);
    }
    if (typeof seed !== 'number' && typeof seed !== 'bigint') {
      throw new TypeError(`manualSeed: seed must be a number or a bigint, got ${typeof seed}`);
    }
    this.seed = BigInt.asUintN(64, BigInt(seed));
    this.counter = 0;
    return this;
  }

  initialSeed(): bigint {
    return this.seed;
  }

  /** Reserves the stream for n values: a call draws 4 values per counter step. */
  take(n: number): RandomKey {
    const key: RandomKey = {
      keyLo: Number(this.seed % BigInt(U32)),
      keyHi: Number(this.seed / BigInt(U32)),
      counter: this.counter,
    };
    this.counter += Math.ceil(n / 4);
    if (!Number.isSafeInteger(this.counter)) throw new RangeError('Generator: the random stream is exhausted; reseed it');
    return key;
  }

  getState(): GeneratorState {
    return { seed: this.seed.toString(), counter: this.counter };
  }

  setState(state: GeneratorState): this {
    if (!Number.isSafeInteger(state?.counter) || state.counter < 0 || !/^\d+$/.test(String(state?.seed))) {
      throw new TypeError('Generator.setState: expected { seed: decimal string, counter: non-negative integer }');
    }
    this.seed = BigInt.asUintN(64, BigInt(state.seed));
    this.counter = state.counter;
    return this;
  }
}

/** The generator behind every random function that is not given one. */
export const defaultGenerator = new Generator();

export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator.manualSeed(seed);
}

export function initialSeed(): bigint {
  return defaultGenerator.initialSeed();
}

export interface RandomOptions {
  dtype?: DType;
  generator?: Generator;
  /** As PyTorch's requires_grad (rand and randn). */
  requiresGrad?: boolean;
}

type RandSizeArgs = [shape: readonly number[], options?: RandomOptions] | [...size: number[], options: RandomOptions] | number[];

function randomArgs(args: readonly unknown[], fn: string): [number[], RandomOptions] {
  const list = [...args];
  const last = list[list.length - 1];
  const opts = last !== null && typeof last === 'object' && !Array.isArray(last) ? (list.pop() as RandomOptions) : {};
  if (opts.dtype !== undefined && checkDType(opts.dtype, fn) !== 'float32') {
    throw new TypeError(`${fn}: only float32 is supported, got ${opts.dtype}`);
  }
  return [sizeArgs(list, fn), opts];
}

/** Uniform samples from [0, 1): rand(2, 3), rand([2, 3], { generator }). */
export function rand(...args: RandSizeArgs): Tensor {
  const [shape, opts] = randomArgs(args, 'rand');
  const out = allocFloat32(numel(shape));
  const k = (opts.generator ?? defaultGenerator).take(out.length);
  cpu.kernels.randomUniform(out, k.keyLo, k.keyHi, k.counter, 0, 1);
  return withRequiresGrad(new Tensor(out, shape), opts, 'rand');
}

/** Standard normal samples: randn(2, 3). */
export function randn(...args: RandSizeArgs): Tensor {
  const [shape, opts] = randomArgs(args, 'randn');
  const out = allocFloat32(numel(shape));
  const k = (opts.generator ?? defaultGenerator).take(out.length);
  cpu.kernels.randomNormal(out, k.keyLo, k.keyHi, k.counter, 0, 1);
  return withRequiresGrad(new Tensor(out, shape), opts, 'randn');
}

/**
 * Integers drawn uniformly from [low, high): randint(high, shape) or randint(low, high, shape),
 * as int32 (PyTorch gives int64).
 */
export function randint(high: number, shape: readonly number[], options?: RandomOptions): Tensor;
export function randint(low: number, high: number, shape: readonly number[], options?: RandomOptions): Tensor;
export function randint(...args: unknown[]): Tensor {
  const withLow = typeof args[1] === 'number';
  const [low, high, shapeArg, opts] = (withLow ? args : [0, ...args]) as [number, number, unknown, RandomOptions?];
  const shape = checkShape(shapeArg, 'randint');
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new TypeError(`randint: low and high must be integers, got ${low} and ${high}`);
  if (high <= low) throw new RangeError(`randint: random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  if (low < -(2 ** 31) || high > 2 ** 31) throw new RangeError(`randint: [${low}, ${high}) does not fit in int32`);
  const out = allocInt32(numel(shape));
  const k = (opts?.generator ?? defaultGenerator).take(out.length);
  cpu.kernels.randomInt(out, k.keyLo, k.keyHi, k.counter, low, high);
  return withRequiresGrad(new Tensor(out, shape), opts ?? {}, 'randint');
}
