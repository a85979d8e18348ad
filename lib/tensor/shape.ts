/** Shapes are plain arrays of non-negative integers, row-major. */
export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** "[2, 3]", the form error messages use. */
export function shapeStr(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Checks a user-given shape: integers >= 0 whose product is a safe integer. */
export function checkShape(shape: unknown, fn: string): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${fn}: size must be an array of integers, got ${typeof shape}`);
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(`${fn}: sizes must be non-negative integers, got ${shapeStr(shape as number[])}`);
    }
    n *= d;
  }
  if (!Number.isSafeInteger(n)) throw new RangeError(`${fn}: size ${shapeStr(shape as number[])} has too many elements`);
  return shape.slice() as number[];
}

/**
 * The broadcast shape of a and b by NumPy's rules, or a RangeError in PyTorch's words that names
 * both shapes.
 */
export function broadcastShapes(a: Shape, b: Shape, fn: string): Shape {
  if (a === b || sameShape(a, b)) return a;
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(
        `${fn}: shapes ${shapeStr(a)} and ${shapeStr(b)} cannot be broadcast: the size of tensor a (${x}) ` +
          `must match the size of tensor b (${y}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = x === 1 ? y : x;
  }
  return out;
}

/**
 * Reads PyTorch-style size arguments: `f(2, 3)`, `f([2, 3])`, or `f()` for a scalar.
 */
export function sizeArgs(args: readonly unknown[], fn: string): number[] {
  if (args.length === 1 && Array.isArray(args[0])) return checkShape(args[0], fn);
  return checkShape(args, fn);
}
