// Bad safetensors files: truncated, corrupt, lying headers. Each must give a SafetensorsError that
// names the file and what is wrong, before allocating anything the file cannot back. And writes
// that fail leave the previous file as it was, with no temporary file behind.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as tg from '../lib/index';
import { tempDir } from './helpers/tmp-dir';

const dir = tempDir('bad-safetensors');
let count = 0;

/** A file of an 8-byte length field (the header's length unless given), the header and the data. */
function craft(header: string | object, data: Buffer | number[] = [], lengthField?: bigint): string {
  const text = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(lengthField ?? BigInt(text.length));
  const file = path.join(dir, `crafted-${++count}.safetensors`);
  fs.writeFileSync(file, Buffer.concat([length, text, Buffer.from(data)]));
  return file;
}

/** Asserts that loading file fails with a SafetensorsError naming it and matching message. */
function refused(file: string, message: RegExp): void {
  let err: unknown;
  try {
    tg.load(file);
  } catch (e) {
    err = e;
  }
  expect(err, `${file} should be refused with ${message}`).toBeInstanceOf(tg.io.SafetensorsError);
  expect((err as tg.io.SafetensorsError).path).toBe(file);
  expect((err as Error).message.startsWith(`${file}: `)).toBe(true);
  expect((err as Error).message).toMatch(message);
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

describe('the length field', () => {
  it('refuses files too short to hold it', () => {
    refused(craftRaw([]), /has 0 bytes, too few/);
    refused(craftRaw([1, 2, 3, 4, 5]), /has 5 bytes, too few/);
  });

  it('refuses an absurd header length before reading or allocating it', () => {
    const alloc = vi.spyOn(Buffer, 'alloc');
    refused(craft('{}', [], 2n ** 64n - 1n), /says 18446744073709551615 bytes, more than the 100000000-byte limit/);
    refused(craft('{}', [], 100_000_001n), /more than the 100000000-byte limit/);
    // Only the 8-byte length field was allocated.
    expect(alloc.mock.calls.every(([n]) => n === 8)).toBe(true);
    alloc.mockRestore();
  });

  it('refuses a header length larger than the file', () => {
    refused(craft('{}', [], 1000n), /says 1000 bytes, but only 2 follow it: the file is truncated/);
    refused(craft('{}', [], 3n), /says 3 bytes, but only 2 follow it/);
  });
});

describe('the header', () => {
  it('must be UTF-8 JSON holding an object', () => {
    const invalidUtf8 = path.join(dir, 'invalid-utf8.safetensors');
    fs.writeFileSync(invalidUtf8, Buffer.from([4, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0xc3, 0x28, 0x7d]));
    refused(invalidUtf8, /the header is not valid UTF-8/);
    refused(craft('{"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]'), /the header is not valid JSON/);
    refused(craft('[1, 2]'), /must be a JSON object, got \[1,2\]/);
    refused(craft('null'), /must be a JSON object, got null/);
    refused(craft('"text"'), /must be a JSON object/);
  });

  it('names no tensor twice, nor a key twice anywhere', () => {
    refused(craft(`{"w":${JSON.stringify(f32([1], 0, 4))},"w":${JSON.stringify(f32([1], 4, 8))}}`, Buffer.alloc(8)), /names "w" twice/);
    refused(craft('{"w":{"dtype":"F32","dtype":"I32","shape":[1],"data_offsets":[0,4]}}', Buffer.alloc(4)), /names "w > dtype" twice/);
    refused(craft('{"__metadata__":{"a":"1","a":"2"}}'), /names "__metadata__ > a" twice/);
    refused(craft('{"a\\u0062":{},"ab":{}}'), /names "ab" twice/);
  });

  it('holds metadata of strings only', () => {
    refused(craft({ __metadata__: { epoch: 3 } }), /"__metadata__" must map strings to strings, but "epoch" is 3/);
    refused(craft({ __metadata__: { nested: { a: 'b' } } }), /but "nested" is \{"a":"b"\}/);
    refused(craft({ __metadata__: ['a'] }), /"__metadata__" must be an object of strings/);
    refused(craft({ __metadata__: 'text' }), /"__metadata__" must be an object of strings/);
    expect(tg.io.loadMetadata(craft({ __metadata__: null }))).toEqual({});
  });

  it('describes each tensor by an object with a known dtype', () => {
    refused(craft({ w: [1, 2] }), /tensor "w" must be described by an object with dtype, shape and data_offsets/);
    refused(craft({ w: f32([1], 0, 4), v: 'x' }, Buffer.alloc(4)), /tensor "v" must be described/);
    refused(craft({ w: { ...f32([1], 0, 4), dtype: 'F128' } }, Buffer.alloc(4)), /tensor "w": unknown dtype "F128" \(expected one of BOOL, U8/);
    refused(craft({ w: { ...f32([1], 0, 1), dtype: 'F8_E4M3' } }, Buffer.alloc(1)), /tensor "w": dtype F8_E4M3 is not supported by tensorgrad/);
    refused(craft({ w: { shape: [1], data_offsets: [0, 4] } }, Buffer.alloc(4)), /tensor "w": unknown dtype undefined/);
    refused(craft({ w: { ...f32([1], 0, 4), dtype: 32 } }, Buffer.alloc(4)), /unknown dtype 32/);
    refused(craft({ w: { ...f32([1], 0, 4), dtype: 'f32' } }, Buffer.alloc(4)), /unknown dtype "f32"/);
  });

  it('gives shapes of non-negative integers whose size fits', () => {
    refused(craft({ w: f32([-1], 0, 4) }, Buffer.alloc(4)), /tensor "w": shape must be an array of non-negative integers, got \[-1\]/);
    refused(craft({ w: f32([1.5], 0, 6) }, Buffer.alloc(6)), /shape must be an array of non-negative integers, got \[1.5\]/);
    refused(craft({ w: { ...f32([1], 0, 4), shape: '1' } }, Buffer.alloc(4)), /shape must be an array/);
    refused(craft({ w: { ...f32([1], 0, 4), shape: ['1'] } }, Buffer.alloc(4)), /shape must be an array/);
    refused(craft('{"w":{"dtype":"F32","shape":[1e400],"data_offsets":[0,4]}}', Buffer.alloc(4)), /shape must be an array of non-negative integers/);
    refused(craft({ w: f32([2 ** 30, 2 ** 30, 2 ** 30], 0, 4) }, Buffer.alloc(4)), /tensor "w": shape \[1073741824,1073741824,1073741824\] has too many elements/);
    refused(craft({ w: f32([2, 3], 0, 4) }, Buffer.alloc(4)), /tensor "w": 6 elements of F32 take 24 bytes, but data_offsets \[0,4\] span 4/);
  });
});

describe('the offsets', () => {
  it('are pairs of non-negative integers, begin <= end', () => {
    const bad = [[-4, 0], [0.5, 4.5], ['0', '4'], [0], [0, 4, 8], [4, 0], null, [0, 2 ** 60]];
    for (const offsets of bad) {
      refused(craft({ w: { dtype: 'F32', shape: [1], data_offsets: offsets } }, Buffer.alloc(4)), /tensor "w": data_offsets must be \[begin, end\], integers with 0 <= begin <= end/);
    }
  });

  it('tile the data region exactly: no overlap, no gap, nothing missing or left over', () => {
    refused(craft({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, Buffer.alloc(12)), /tensor "b" \(data bytes 4 to 12\) overlaps tensor "a" \(bytes 0 to 8\)/);
    refused(craft({ a: f32([1], 0, 4), b: f32([1], 0, 4) }, Buffer.alloc(4)), /overlaps/);
    refused(craft({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, Buffer.alloc(12)), /4 data bytes between tensor "a" \(ending at 4\) and tensor "b" \(starting at 8\) belong to no tensor/);
    refused(craft({ a: f32([1], 4, 8) }, Buffer.alloc(8)), /4 data bytes between the header and tensor "a"/);
    refused(craft({ a: f32([4], 0, 16) }, Buffer.alloc(12)), /the tensors need 16 data bytes but the file holds 12: it is truncated/);
    refused(craft({ a: f32([1], 0, 4) }, Buffer.alloc(9)), /the file has 5 bytes after the last tensor's data/);
    refused(craft({ a: f32([1], 1e15, 1e15 + 4) }, Buffer.alloc(4)), /1000000000000000 data bytes between the header and tensor "a"/);
    // Listed out of order is fine, as in the reference reader: the offsets decide.
    const file = craft({ b: f32([1], 4, 8), a: f32([1], 0, 4) }, Buffer.from(new Float32Array([1, 2]).buffer));
    expect(Object.fromEntries(Object.entries(tg.load(file)).map(([k, t]) => [k, t.item()]))).toEqual({ a: 1, b: 2 });
  });
});

describe('the data', () => {
  const int64s = (values: bigint[]) => Buffer.from(new BigInt64Array(values).buffer);

  it('must fit in int32 when it is I64, U64 or U32', () => {
    refused(craft({ n: { dtype: 'I64', shape: [3], data_offsets: [0, 24] } }, int64s([0n, 1n, 2n ** 31n])), /tensor "n" \(I64\) holds 2147483648 at index 2, which does not fit in int32/);
    refused(craft({ n: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, int64s([-(2n ** 31n) - 1n])), /holds -2147483649 at index 0/);
    refused(craft({ n: { dtype: 'U64', shape: [1], data_offsets: [0, 8] } }, int64s([-1n])), /\(U64\) holds 18446744073709551615 at index 0/);
    refused(craft({ n: { dtype: 'U32', shape: [2], data_offsets: [0, 8] } }, Buffer.from(new Uint32Array([5, 2 ** 31]).buffer)), /\(U32\) holds 2147483648 at index 1/);
    const fits = craft({ n: { dtype: 'U64', shape: [2], data_offsets: [0, 16] }, u: { dtype: 'U16', shape: [1], data_offsets: [16, 18] } }, [
      ...int64s([0n, 2n ** 31n - 1n]),
      0xff,
      0xff,
    ]);
    expect(tg.load(fits).n.toArray()).toEqual([0, 2147483647]);
    expect(tg.load(fits).u.toArray()).toEqual([65535]);
  });

  it('reads any non-zero BOOL byte as true', () => {
    const t = tg.load(craft({ m: { dtype: 'BOOL', shape: [4], data_offsets: [0, 4] } }, [0, 1, 2, 255])).m;
    expect(Array.from(t.dataSync())).toEqual([0, 1, 1, 1]);
  });

  it('a file cut short, or with a header byte changed, loads or throws a SafetensorsError, never anything else', () => {
    const good = path.join(dir, 'good.safetensors');
    tg.save({ w: tg.arange(6).float().reshape([2, 3]), n: tg.tensor([1, 2], { dtype: 'int32' }), m: tg.tensor([true]) }, good, { a: 'b' });
    const bytes = fs.readFileSync(good);
    const cut = path.join(dir, 'cut.safetensors');
    const headerEnd = 8 + Number(bytes.readBigUInt64LE(0));
    // Every cut through the length field and the header, then every few bytes of the data.
    for (let n = 0; n < bytes.length; n += n < headerEnd ? 1 : 3) {
      fs.writeFileSync(cut, bytes.subarray(0, n));
      expect(() => tg.load(cut), `cut at ${n}`).toThrow(tg.io.SafetensorsError);
    }
    let loaded = 0;
    for (let i = 0; i < headerEnd; i++) {
      for (const b of [0x00, 0x22, 0x39, 0x7d, 0xff]) {
        const changed = Buffer.from(bytes);
        changed[i] = b;
        fs.writeFileSync(cut, changed);
        try {
          tg.load(cut);
          loaded++;
        } catch (e) {
          expect(e, `byte ${i} set to ${b}: ${(e as Error).message}`).toBeInstanceOf(tg.io.SafetensorsError);
        }
      }
    }
    expect(loaded).toBeGreaterThan(0); // spaces and digits in harmless places
  });

  it('a missing file is an error that names it', () => {
    const missing = path.join(dir, 'missing.safetensors');
    expect(() => tg.load(missing)).toThrow(missing);
    expect(() => tg.io.loadMetadata(missing)).toThrow(/ENOENT/);
  });
});

describe('writes are atomic', () => {
  afterEach(() => vi.restoreAllMocks());
  const leftovers = () => fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  function previous(name: string): [string, Buffer] {
    const file = path.join(dir, name);
    tg.save({ old: tg.tensor([1, 2, 3]) }, file, { version: 'old' });
    return [file, fs.readFileSync(file)];
  }

  it('a tensor that cannot be written leaves the previous file untouched', () => {
    const [file, before] = previous('keep-1.safetensors');
    expect(() => tg.save({ w: tg.ones(2), bad: 'not a tensor' as unknown as tg.Tensor }, file)).toThrow(/"bad" is not a Tensor/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('an error part way through writing leaves the previous file untouched and no temporary file', () => {
    const [file, before] = previous('keep-2.safetensors');
    const real = fs.writeSync;
    let calls = 0;
    vi.spyOn(fs, 'writeSync').mockImplementation(((...args: Parameters<typeof fs.writeSync>) => {
      if (++calls === 2) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      return (real as (...a: unknown[]) => number)(...args);
    }) as typeof fs.writeSync);
    expect(() => tg.save({ w: tg.randn(100), v: tg.randn(10) }, file)).toThrow(/keep-2\.safetensors: could not be written: ENOSPC/);
    expect(calls).toBe(2);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('a failed fsync leaves the previous file untouched too', () => {
    const [file, before] = previous('keep-3.safetensors');
    vi.spyOn(fs, 'fsyncSync').mockImplementation(() => {
      throw new Error('EIO: i/o error, fsync');
    });
    expect(() => tg.save({ w: tg.ones(3) }, file)).toThrow(/could not be written: EIO/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('a rename that fails (the target is a directory) removes the temporary file', () => {
    const target = path.join(dir, 'a-directory.safetensors');
    fs.mkdirSync(target);
    expect(() => tg.save({ w: tg.ones(1) }, target)).toThrow(tg.io.SafetensorsError);
    expect(fs.statSync(target).isDirectory()).toBe(true);
    expect(leftovers()).toEqual([]);
    expect(() => tg.save({ w: tg.ones(1) }, path.join(dir, 'no-such-dir', 'x.safetensors'))).toThrow(/no-such-dir.*could not be written: ENOENT/);
  });

  it('a successful write replaces the file whole', () => {
    const [file] = previous('replace.safetensors');
    tg.save({ fresh: tg.tensor([4, 5], { dtype: 'int32' }) }, file);
    expect(Object.keys(tg.load(file))).toEqual(['fresh']);
    expect(tg.io.loadMetadata(file)).toEqual({});
    expect(leftovers()).toEqual([]);
  });
});

/** A file of exactly these bytes. */
function craftRaw(bytes: number[]): string {
  const file = path.join(dir, `raw-${++count}.safetensors`);
  fs.writeFileSync(file, Buffer.from(bytes));
  return file;
}
