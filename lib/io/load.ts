/**
 * load() and loadMetadata(): a safetensors file's tensors and its header's metadata. The header is
 * checked whole against the file's size before any tensor is allocated, so a corrupt or hostile
 * file gives a SafetensorsError naming what is wrong, never a huge allocation or a crash.
 */
import fs from 'node:fs';
import { allocOutput } from '../backend/storage';
import { Tensor } from '../tensor/tensor';
import { storageBytes, toHostOrder } from './bytes';
import { DTYPES, elementText } from './dtypes';
import { SafetensorsError } from './errors';
import { HeaderError, MAX_HEADER_BYTES, parseHeader, type Header, type TensorEntry } from './header';

/** What a safetensors file holds. */
export interface SafetensorsContent {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** Fills bytes from the file at position, or fails if the file ends first. */
function readExactly(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) {
    const got = fs.readSync(fd, bytes, done, bytes.length - done, position + done);
    if (got === 0) throw new HeaderError(`the file ended at byte ${position + done} while reading ${bytes.length} bytes from ${position}; it changed while being read`);
    done += got;
  }
}

/** The checked header, and where the data starts. */
function readHeader(fd: number, size: number): { header: Header; dataStart: number } {
  if (size < 8) throw new HeaderError(`the file has ${size} bytes, too few for a safetensors file (its header length alone takes 8)`);
  const lengthField = Buffer.alloc(8);
  readExactly(fd, lengthField, 0);
  const n = lengthField.readBigUInt64LE(0);
  if (n > BigInt(MAX_HEADER_BYTES)) throw new HeaderError(`the header length field says ${n} bytes, more than the ${MAX_HEADER_BYTES}-byte limit: this is not a safetensors file, or it is corrupt`);
  if (n > BigInt(size - 8)) throw new HeaderError(`the header length field says ${n} bytes, but only ${size - 8} follow it: the file is truncated, or not a safetensors file`);
  const json = Buffer.alloc(Number(n));
  readExactly(fd, json, 8);
  return { header: parseHeader(json, size - 8 - Number(n)), dataStart: 8 + Number(n) };
}

/** One tensor's data, converted to a tensorgrad dtype where the file's differs. */
function readTensor(fd: number, dataStart: number, e: TensorEntry): Tensor {
  const info = DTYPES[e.dtype];
  const out = allocOutput(info.target, (e.end - e.begin) / info.size);
  if (!info.decode) {
    readExactly(fd, storageBytes(out), dataStart + e.begin);
    toHostOrder(out);
    // A bool is one byte; anything but 0 is true, and tensorgrad's bools are 0 or 1.
    if (info.target === 'bool') for (let i = 0; i < out.length; i++) out[i] = out[i] !== 0 ? 1 : 0;
  } else {
    const raw = Buffer.allocUnsafe(e.end - e.begin);
    readExactly(fd, raw, dataStart + e.begin);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const bad = info.decode(view, out);
    if (bad >= 0) throw new HeaderError(`tensor "${e.name}" (${e.dtype}) holds ${elementText(e.dtype, view, bad)} at index ${bad}, which does not fit in int32 (tensorgrad keeps integers as int32)`);
  }
  return new Tensor(out, e.shape, info.target);
}

/** Opens file and runs read on it, turning what it finds wrong into a SafetensorsError naming file. */
function withFile<T>(file: string, read: (fd: number, size: number) => T): T {
  if (typeof file !== 'string' || file === '') throw new TypeError(`load: the path must be a non-empty string, got ${typeof file}`);
  const fd = fs.openSync(file, 'r');
  try {
    return read(fd, fs.fstatSync(fd).size);
  } catch (e) {
    if (e instanceof HeaderError) throw new SafetensorsError(file, e.message);
    throw e;
  } finally {
    fs.closeSync(fd);
  }
}

/** The tensors of a safetensors file and its metadata (internal: checkpoints use both). */
export function readSafetensors(file: string): SafetensorsContent {
  return withFile(file, (fd, size) => {
    const { header, dataStart } = readHeader(fd, size);
    const tensors: Record<string, Tensor> = {};
    for (const e of header.entries) {
      // defineProperty, so that a tensor named "__proto__" is a key like any other.
      Object.defineProperty(tensors, e.name, { value: readTensor(fd, dataStart, e), enumerable: true, writable: true, configurable: true });
    }
    return { tensors, metadata: header.metadata };
  });
}

/**
 * The tensors of a safetensors file by name, in the file's order (but for integer-like names,
 * which a JavaScript object lists first): F32, I32 and BOOL as they are;
 * U8, I8, I16, U16 as int32; I64, U32, U64 as int32 when every value fits (else an error); F16 and
 * BF16 as float32 exactly, F64 as float32 rounded to nearest.
 */
export function load(file: string): Record<string, Tensor> {
  return readSafetensors(file).tensors;
}

/** The "__metadata__" strings of a safetensors file's header ({} when it has none); reads no tensor data. */
export function loadMetadata(file: string): Record<string, string> {
  return withFile(file, (fd, size) => readHeader(fd, size).header.metadata);
}
