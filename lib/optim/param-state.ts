/**
 * Per-parameter optimizer state: what each optimizer keeps (its StateSpec), deep copies for
 * stateDict / loadStateDict, and the checks that a loaded entry fits the parameter it lands on.
 */
import { shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { describe } from './check-options';

/** One value of per-parameter state: a buffer of the parameter's shape, or a step count. */
export type StateValue = Tensor | number;

/**
 * What an optimizer keeps per parameter: 'tensor' (always there once the parameter has state),
 * 'optional tensor' (there when an option asks for it, as Adam's maxExpAvgSq under amsgrad), or
 * 'count' (a number, as the step count).
 */
export type StateKind = 'tensor' | 'optional tensor' | 'count';
export type StateSpec = Readonly<Record<string, StateKind>>;

/** A tensor with its own copy of t's elements, outside any graph. */
export function copyTensor(t: Tensor): Tensor {
  return new Tensor(Float32Array.from(t._data), t.shape.slice(), 'float32');
}

/** A copy of one parameter's state that shares no storage with it. */
export function copyState<S extends object>(state: S): S {
  const out: Record<string, StateValue> = {};
  for (const [key, value] of Object.entries(state) as [string, StateValue | undefined][]) {
    if (value !== undefined) out[key] = value instanceof Tensor ? copyTensor(value) : value;
  }
  return out as S;
}

/** Bumps the version of every buffer in state, after a kernel wrote them in place. */
export function bumpVersions(state: object): void {
  for (const value of Object.values(state)) if (value instanceof Tensor) value._storage.version++;
}

/**
 * Throws unless entry (the saved state of the parameter at index) holds exactly what spec
 * allows: every 'tensor' and 'count', tensors of float32 with param's shape, counts as numbers.
 */
export function checkStateEntry(entry: unknown, spec: StateSpec, param: Tensor, index: number, owner: string): void {
  const where = `${owner}.loadStateDict: state of parameter ${index}`;
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw new TypeError(`${where} must be an object, got ${describe(entry)}`);
  const known = Object.keys(spec);
  for (const [key, value] of Object.entries(entry)) {
    const kind = spec[key];
    if (kind === undefined) throw new RangeError(`${where} has "${key}", which ${owner} does not keep (it keeps ${known.join(', ')})`);
    if (kind === 'count') {
      if (typeof value !== 'number' || !(value >= 0)) throw new TypeError(`${where}: "${key}" must be a non-negative number, got ${describe(value)}`);
    } else if (!(value instanceof Tensor) || value.dtype !== 'float32') {
      throw new TypeError(`${where}: "${key}" must be a float32 Tensor, got ${value instanceof Tensor ? value.dtype : describe(value)}`);
    } else if (value.shape.length !== param.shape.length || value.shape.some((n, d) => n !== param.shape[d])) {
      throw new RangeError(`${where}: "${key}" has shape ${shapeStr(value.shape)} but the parameter has shape ${shapeStr(param.shape)}`);
    }
  }
  const missing = known.filter((key) => spec[key] !== 'optional tensor' && !(key in entry));
  if (missing.length > 0 && Object.keys(entry).length > 0) throw new RangeError(`${where} lacks "${missing.join('", "')}"`);
}
