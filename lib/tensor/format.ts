/**
 * Printing as PyTorch prints (torch/_tensor_str.py): 4 decimals, integer-valued floats as "1.",
 * scientific notation for wide ranges, 80 columns, and tensors over 1000 elements summarised to
 * their first and last 3 entries per dimension.
 */
import type { CpuData } from '../backend/storage';
import type { DType } from './dtype';
import type { Shape } from './shape';

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 80;

/** Python's "{:.4e}": the exponent has at least two digits. */
function sci(v: number): string {
  return v.toExponential(PRECISION).replace(/e([+-])(\d)$/, 'e$10$2');
}

function nonFinite(v: number): string {
  return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
}

class Formatter {
  private intMode = true;
  private sciMode = false;
  private width = 1;
  private readonly floating: boolean;
  private readonly bool: boolean;

  constructor(values: ArrayLike<number>, dtype: DType) {
    this.floating = dtype === 'float32';
    this.bool = dtype === 'bool';
    if (!this.floating) {
      for (let i = 0; i < values.length; i++) this.width = Math.max(this.width, this.plain(values[i]).length);
      return;
    }
    const shown: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (Number.isFinite(v) && v !== 0) shown.push(v);
    }
    if (shown.length === 0) return;
    let lo = Infinity;
    let hi = 0;
    for (const v of shown) {
      lo = Math.min(lo, Math.abs(v));
      hi = Math.max(hi, Math.abs(v));
    }
    this.intMode = shown.every((v) => v === Math.ceil(v));
    const wide = hi / lo > 1000 || hi > 1e8;
    if (this.intMode) {
      this.sciMode = wide;
      for (const v of shown) this.width = Math.max(this.width, wide ? sci(v).length : v.toFixed(0).length + 1);
    } else {
      this.sciMode = wide || lo < 1e-4;
      for (const v of shown) this.width = Math.max(this.width, (this.sciMode ? sci(v) : v.toFixed(PRECISION)).length);
    }
  }

  get elementWidth(): number {
    return this.width;
  }

  private plain(v: number): string {
    return this.bool ? (v ? 'True' : 'False') : String(v);
  }

  format(v: number): string {
    let s: string;
    if (!this.floating) s = this.plain(v);
    else if (!Number.isFinite(v)) s = nonFinite(v);
    else if (this.sciMode) s = sci(v);
    else if (this.intMode) s = `${v.toFixed(0)}.`;
    else s = v.toFixed(PRECISION);
    return s.padStart(this.width);
  }
}

interface View {
  data: CpuData;
  shape: Shape;
  offset: number;
  strides: number[];
}

function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = step;
    step *= shape[d];
  }
  return s;
}

function sub(v: View, i: number): View {
  return { data: v.data, shape: v.shape.slice(1), offset: v.offset + i * v.strides[0], strides: v.strides.slice(1) };
}

/** Indices of dim 0 to show: all of them, or the first and last few when summarising. */
function shownIndices(n: number, summarize: boolean): number[] {
  if (summarize && n > 2 * EDGE_ITEMS) {
    return [...Array(EDGE_ITEMS).keys(), ...Array.from({ length: EDGE_ITEMS }, (_, k) => n - EDGE_ITEMS + k)];
  }
  return [...Array(n).keys()];
}

/** The values that will be printed, which the formatter sizes itself by. */
function collectShown(v: View, summarize: boolean, out: number[]): void {
  if (v.shape.length === 0) {
    out.push(v.data[v.offset]);
    return;
  }
  for (const i of shownIndices(v.shape[0], summarize)) collectShown(sub(v, i), summarize, out);
}

function vectorStr(v: View, indent: number, summarize: boolean, f: Formatter): string {
  const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (f.elementWidth + 2)));
  const n = v.shape[0];
  const items: string[] = [];
  const idx = shownIndices(n, summarize);
  idx.forEach((i, k) => {
    if (summarize && n > 2 * EDGE_ITEMS && k === EDGE_ITEMS) items.push(' ...');
    items.push(f.format(v.data[v.offset + i * v.strides[0]]));
  });
  const lines: string[] = [];
  for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
  return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
}

function tensorStr(v: View, indent: number, summarize: boolean, f: Formatter): string {
  const dim = v.shape.length;
  if (dim === 0) return f.format(v.data[v.offset]);
  if (dim === 1) return vectorStr(v, indent, summarize, f);
  const n = v.shape[0];
  const parts: string[] = [];
  shownIndices(n, summarize).forEach((i, k) => {
    if (summarize && n > 2 * EDGE_ITEMS && k === EDGE_ITEMS) parts.push('...');
    parts.push(tensorStr(sub(v, i), indent + 1, summarize, f));
  });
  return `[${parts.join(`,${'\n'.repeat(dim - 1)}${' '.repeat(indent + 1)}`)}]`;
}

function addSuffixes(body: string, suffixes: string[], indent: number): string {
  let out = body;
  let lastLine = body.length - body.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINE_WIDTH) {
      out += `,\n${' '.repeat(indent)}${s}`;
      lastLine = indent + s.length;
    } else {
      out += `, ${s}`;
      lastLine += s.length + 2;
    }
  }
  return `${out})`;
}

/** `tensor([[1., 2.], [3., 4.]])`, laid out over lines as PyTorch does. */
export function formatTensor(data: CpuData, shape: Shape, dtype: DType, extraSuffixes: string[] = []): string {
  const prefix = 'tensor(';
  const indent = prefix.length;
  const suffixes: string[] = [];
  const count = data.length;
  let body: string;
  if (count === 0) {
    body = '[]';
    if (shape.length !== 1) suffixes.push(`size=[${shape.join(', ')}]`);
  } else {
    const summarize = count > THRESHOLD;
    const view: View = { data, shape, offset: 0, strides: stridesOf(shape) };
    const shown: number[] = [];
    collectShown(view, summarize, shown);
    body = tensorStr(view, indent, summarize, new Formatter(shown, dtype));
  }
  // Printed values show float32 and bool; an empty tensor shows nothing, so it names any non-default.
  if (dtype === 'int32' || (dtype === 'bool' && count === 0)) suffixes.push(`dtype=${dtype}`);
  return addSuffixes(prefix + body, [...suffixes, ...extraSuffixes], indent);
}
