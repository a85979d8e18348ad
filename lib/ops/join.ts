/** Joining tensors and cutting them apart: cat, stack, split, chunk, narrow, slice, select, pad. */
import { needsGrad, record } from '../autograd/function';
import { allocOutput } from '../backend/storage';
import { full, zeros } from '../tensor/create';
import { numel, shapeStr } from '../tensor/shape';
import { normalizeDim, Tensor } from '../tensor/tensor';
import { contiguousStrides, gatherView, scatterView } from './strided';
import { squeeze, unsqueeze } from './view';

/** Element offset and strides of the slice [start, start + step * len) of x along dim. */
function sliceView(shape: readonly number[], dim: number, start: number, step: number): [number, number[]] {
  const strides = contiguousStrides(shape);
  const offset = start * strides[dim];
  const out = strides.slice();
  out[dim] = strides[dim] * step;
  return [offset, out];
}

/** The tensors joined along an existing dim; all other sizes must match. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError('cat: expected a non-empty list of Tensors');
  // PyTorch skips 1-D empty tensors in cat (legacy behaviour that code relies on).
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.numel() === 0));
  const first = parts[0] ?? tensors[0];
  const d = normalizeDim(dim, first.ndim, 'cat');
  for (const [i, t] of parts.entries()) {
    if (!(t instanceof Tensor)) throw new TypeError(`cat: expected Tensors, got ${typeof t} at position ${i}`);
    if (t.dtype !== first.dtype) throw new TypeError(`cat: expected all tensors to have dtype ${first.dtype}, got ${t.dtype} at position ${i}`);
    if (t.ndim !== first.ndim || t.shape.some((n, k) => k !== d && n !== first.shape[k])) {
      throw new RangeError(
        `cat: Sizes of tensors must match except in dimension ${d}. Expected sizes ${shapeStr(first.shape)} (except dim ${d}) but got ${shapeStr(t.shape)} for tensor number ${i} in the list.`,
      );
    }
  }
  const shape = first.shape.slice();
  shape[d] = parts.reduce((s, t) => s + t.shape[d], 0);
  // Every element of out belongs to one part, so it needs no zeroing first.
  const out = new Tensor(allocOutput(first.dtype, numel(shape)), shape, first.dtype);
  let at = 0;
  for (const t of parts) {
    // An empty part has nothing to copy, and its offset may lie past the end of out.
    if (t.numel() > 0) {
      const [offset, strides] = sliceView(shape, d, at, 1);
      scatterView(t, out, offset, strides);
    }
    at += t.shape[d];
  }
  if (needsGrad(...parts)) {
    const sizes = parts.map((t) => t.shape[d]);
    record(out, 'CatBackward0', parts, (g) => split(g, sizes, d));
  }
  return out;
}

/** The tensors (all of one shape) joined along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new TypeError('stack: expected a non-empty list of Tensors');
  const first = tensors[0];
  for (const [i, t] of tensors.entries()) {
    if (!(t instanceof Tensor) || t.ndim !== first.ndim || t.shape.some((n, k) => n !== first.shape[k])) {
      throw new RangeError(`stack: expects each tensor to be equal size, but got ${shapeStr(first.shape)} at entry 0 and ${shapeStr(t?.shape ?? [])} at entry ${i}`);
    }
  }
  const d = normalizeDim(dim, first.ndim + 1, 'stack');
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}

/** `length` entries of x along dim from `start` (a copy). */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'narrow');
  const size = x.shape[d];
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new RangeError(`narrow: start (${start}) + length (${length}) exceeds dimension size (${size}).`);
  }
  return slice(x, d, s, s + length);
}

/**
 * Entries [start, end) of x along dim, every `step`-th (Python's x[start:end:step] on one dim); a
 * copy. Negative start and end count from the end; out-of-range bounds are clamped as in Python.
 */
export function slice(x: Tensor, dim: number, start = 0, end = Infinity, step = 1): Tensor {
  const d = normalizeDim(dim, x.ndim, 'slice');
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
  const size = x.shape[d];
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const s = clamp(start);
  const e = Math.max(clamp(end), s);
  const shape = x.shape.slice();
  shape[d] = Math.ceil((e - s) / step);
  const [offset, strides] = sliceView(x.shape, d, s, step);
  const out = gatherView(x, offset, strides, shape);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(out, 'SliceBackward0', [x], (g) => {
      const gx = zeros([...inShape]);
      const [o, st] = sliceView(inShape, d, s, step);
      scatterView(g, gx, o, st);
      return [gx];
    });
  }
  return out;
}

/** The entry `index` of x along dim, with that dim removed. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'select');
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new RangeError(`select: index ${index} out of range for tensor of size ${shapeStr(x.shape)} at dimension ${d}`);
  }
  return squeeze(narrow(x, d, index < 0 ? index + size : index, 1), d);
}

/** Pieces of x along dim: of `size` each (the last may be smaller), or of the listed sizes. */
export function split(x: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  const d = normalizeDim(dim, x.ndim, 'split');
  const total = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSections === 'number') {
    if (!Number.isInteger(sizeOrSections) || sizeOrSections <= 0) throw new RangeError(`split: split size must be a positive integer, got ${sizeOrSections}`);
    sizes = [];
    for (let at = 0; at < total || (total === 0 && sizes.length === 0); at += sizeOrSections) sizes.push(Math.min(sizeOrSections, total - at));
  } else {
    sizes = [...sizeOrSections];
    if (sizes.reduce((a, b) => a + b, 0) !== total || sizes.some((s) => !Number.isInteger(s) || s < 0)) {
      throw new RangeError(`split: split sizes ${shapeStr(sizes)} must sum to the size of dimension ${d} (${total})`);
    }
  }
  let at = 0;
  return sizes.map((n) => {
    const piece = narrow(x, d, at, n);
    at += n;
    return piece;
  });
}

/** x in `chunks` nearly equal pieces along dim (fewer when it does not divide, as PyTorch). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RangeError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const d = normalizeDim(dim, x.ndim, 'chunk');
  return split(x, Math.max(1, Math.ceil(x.shape[d] / chunks)), d);
}

/**
 * Constant padding, as torch.nn.functional.pad: `pad` lists (before, after) pairs starting from
 * the last dim. Negative amounts crop.
 */
export function pad(x: Tensor, padding: readonly number[], mode: 'constant' = 'constant', value = 0): Tensor {
  if (mode !== 'constant') throw new RangeError(`pad: only mode 'constant' is supported, got '${mode}'`);
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim || padding.some((p) => !Number.isInteger(p))) {
    throw new RangeError(`pad: padding length must be divisible by 2 and at most 2 * ndim (${2 * x.ndim}), got [${padding.join(', ')}]`);
  }
  const before = new Array<number>(x.ndim).fill(0);
  const after = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < padding.length / 2; i++) {
    before[x.ndim - 1 - i] = padding[2 * i];
    after[x.ndim - 1 - i] = padding[2 * i + 1];
  }
  const shape = x.shape.map((n, d) => n + before[d] + after[d]);
  if (shape.some((n) => n < 0)) throw new RangeError(`pad: the padded shape ${shapeStr(shape)} of ${shapeStr(x.shape)} has a negative size`);
  const out = full(shape, value, { dtype: x.dtype });
  // The part of x that survives cropping, and where it lands in out.
  const keep = x.shape.map((n, d) => Math.max(0, n + Math.min(0, before[d]) + Math.min(0, after[d])));
  const from = before.map((b) => Math.max(0, -b));
  const to = before.map((b) => Math.max(0, b));
  const xs = contiguousStrides(x.shape);
  const os = contiguousStrides(shape);
  const inner = gatherView(x, from.reduce((s, f, d) => s + f * xs[d], 0), xs, keep);
  scatterView(inner, out, to.reduce((s, f, d) => s + f * os[d], 0), os);
  if (needsGrad(x)) {
    record(out, 'ConstantPadNdBackward0', [x], (g) => [pad(g, padding.map((p) => -p))]);
  }
  return out;
}
