/**
 * The safetensors header: 8 bytes of little-endian length N, then N bytes of JSON naming each
 * tensor's dtype, shape and data_offsets (relative to the end of the header), with an optional
 * "__metadata__" map of strings. Writing follows the reference (Rust) writer byte for byte;
 * reading checks everything a file could lie about before anything is allocated from it.
 */
import { DTYPES, isReadable, unreadableReason, type SafetensorsDType } from './dtypes';
import { findDuplicateKey } from './json-keys';

/** One tensor as the header describes it; begin and end count bytes from the end of the header. */
export interface TensorEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

export interface Header {
  /** In the order of their data in the file. */
  entries: TensorEntry[];
  metadata: Record<string, string>;
}

/** The reference reader's cap on N: a larger header is refused before it is read. */
export const MAX_HEADER_BYTES = 100_000_000;
export const METADATA_KEY = '__metadata__';

/**
 * The length field and the JSON, padded with spaces to a multiple of 8 bytes so that the data
 * after it stays aligned: compact JSON, __metadata__ first, then the entries in the order given
 * (file order). Built by hand because a JS object would move integer-like names ("0") first.
 */
export function encodeHeader(entries: readonly TensorEntry[], metadata?: Readonly<Record<string, string>>): Buffer {
  const parts: string[] = [];
  if (metadata !== undefined) {
    const fields = Object.entries(metadata).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    parts.push(`${JSON.stringify(METADATA_KEY)}:{${fields.join(',')}}`);
  }
  for (const e of entries) {
    parts.push(`${JSON.stringify(e.name)}:${JSON.stringify({ dtype: e.dtype, shape: e.shape, data_offsets: [e.begin, e.end] })}`);
  }
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const padded = (json.length + 7) & ~7;
  const out = Buffer.alloc(8 + padded, 0x20);
  out.writeBigUInt64LE(BigInt(padded), 0);
  json.copy(out, 8);
  return out;
}

/** Throws with `detail`; the caller adds the file's name. */
export class HeaderError extends Error {}

const fail = (detail: string): never => {
  throw new HeaderError(detail);
};

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

/**
 * The header's content, checked: valid UTF-8 JSON object, no name twice, metadata of strings,
 * known dtypes, shapes and offsets of non-negative integers whose spans match shape x dtype size
 * and tile the data region (dataBytes long) from 0 without gaps or overlaps.
 */
export function parseHeader(json: Uint8Array, dataBytes: number): Header {
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    fail('the header is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail(`the header must be a JSON object, got ${show(parsed).slice(0, 40)}`);
  const twice = findDuplicateKey(text);
  if (twice !== null) fail(`the header names "${twice}" twice`);
  let metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, info] of Object.entries(parsed as object)) {
    if (name === METADATA_KEY) metadata = checkMetadata(info);
    else entries.push(checkEntry(name, info));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  checkTiling(entries, dataBytes);
  return { entries, metadata };
}

function checkMetadata(value: unknown): Record<string, string> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) fail(`"${METADATA_KEY}" must be an object of strings, got ${show(value)}`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as object)) {
    if (typeof v !== 'string') fail(`"${METADATA_KEY}" must map strings to strings, but "${k}" is ${show(v)}`);
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function checkEntry(name: string, info: unknown): TensorEntry {
  const where = `tensor "${name}"`;
  if (info === null || typeof info !== 'object' || Array.isArray(info)) fail(`${where} must be described by an object with dtype, shape and data_offsets, got ${show(info)}`);
  const { dtype, shape, data_offsets: offsets } = info as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (!isReadable(dtype)) fail(`${where}: ${unreadableReason(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`${where}: shape must be an array of non-negative integers, got ${show(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
    fail(`${where}: data_offsets must be [begin, end], integers with 0 <= begin <= end, got ${show(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const elements = (shape as number[]).reduce((n, d) => n * d, 1);
  const bytes = elements * DTYPES[dtype as SafetensorsDType].size;
  if (!Number.isSafeInteger(bytes)) fail(`${where}: shape ${show(shape)} has too many elements`);
  if (bytes !== end - begin) fail(`${where}: ${elements} elements of ${dtype} take ${bytes} bytes, but data_offsets ${show(offsets)} span ${end - begin}`);
  return { name, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end };
}

/** The spans, in offset order, must cover [0, dataBytes) exactly once. */
function checkTiling(entries: readonly TensorEntry[], dataBytes: number): void {
  let at = 0;
  let previous: TensorEntry | null = null;
  for (const e of entries) {
    if (e.begin < at) fail(`tensor "${e.name}" (data bytes ${e.begin} to ${e.end}) overlaps tensor "${previous?.name}" (bytes ${previous?.begin} to ${previous?.end})`);
    if (e.begin > at) fail(`${e.begin - at} data bytes between ${previous ? `tensor "${previous.name}" (ending at ${at})` : 'the header'} and tensor "${e.name}" (starting at ${e.begin}) belong to no tensor`);
    at = e.end;
    previous = e;
  }
  if (at !== dataBytes) {
    fail(at < dataBytes ? `the file has ${dataBytes - at} bytes after the last tensor's data (${dataBytes} data bytes, the tensors cover ${at})` : `the tensors need ${at} data bytes but the file holds ${dataBytes}: it is truncated`);
  }
}
