import { expect } from 'vitest';

/** Asserts that call throws an error of `kind` whose message matches `message`. */
export function throws(kind: typeof TypeError | typeof RangeError, call: () => unknown, message?: RegExp): void {
  let err: unknown;
  try {
    call();
  } catch (e) {
    err = e;
  }
  expect(err, `expected a ${kind.name}${message ? ` matching ${message}` : ''}`).toBeInstanceOf(kind);
  if (message) expect((err as Error).message).toMatch(message);
}
