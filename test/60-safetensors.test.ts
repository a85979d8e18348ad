// safetensors: the reference writer's bytes, PyTorch's files in (test/fixtures/safetensors, made
// by scripts/fixtures/safetensors_fixture.py with a standard-library writer), tensorgrad's files
// out byte for byte the same, dtype conversions, and round trips of state dicts.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { expectClose } from './helpers/reference';
import { tempDir } from './helpers/tmp-dir';

const { nn } = tg;
const fixtures = path.join(__dirname, 'fixtures', 'safetensors');
const fixture = (name: string) => path.join(fixtures, name);
const json = (name: string) => JSON.parse(fs.readFileSync(fixture(name), 'utf8'));
const dir = tempDir('safetensors');
const out = (name: string) => path.join(dir, name);

/** The same model as the fixture script's: Linear(4,8) -> ReLU -> BatchNorm1d(8) -> Linear(8,3). */
const mlp = () => new nn.Sequential(new nn.Linear(4, 8), new nn.ReLU(), new nn.BatchNorm1d(8), new nn.Linear(8, 3));

const headerText = (file: Buffer) => file.subarray(8, 8 + Number(file.readBigUInt64LE(0))).toString('utf8');
const bytesOf = (t: tg.Tensor) => Buffer.from(t._data.buffer, t._data.byteOffset, t._data.byteLength);

describe('save writes what the reference writer writes', () => {
  // Byte vectors from the tests of the reference Rust crate (safetensors/src/tensor.rs).
  it('an empty file, with and without metadata', () => {
    tg.save({}, out('empty.safetensors'));
    expect([...fs.readFileSync(out('empty.safetensors'))]).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    tg.save({}, out('empty-meta.safetensors'), { framework: 'pt' });
    const expected = Buffer.concat([Buffer.from([40, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"__metadata__":{"framework":"pt"}}     ')]);
    expect(fs.readFileSync(out('empty-meta.safetensors'))).toEqual(expected);
  });

  it('pads the header with spaces so that the data starts 8-byte aligned', () => {
    tg.save({ attn0: tg.arange(6).float().reshape([1, 1, 2, 3]) }, out('attn0.safetensors'));
    const header = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ';
    const data = Buffer.from(new Float32Array([0, 1, 2, 3, 4, 5]).buffer);
    expect(fs.readFileSync(out('attn0.safetensors'))).toEqual(Buffer.concat([Buffer.from([72, 0, 0, 0, 0, 0, 0, 0]), Buffer.from(header), data]));
  });

  it('writes the fixed set byte for byte as the Python writer did: dtype order, UTF-8 name order, escapes, metadata', () => {
    const { tensors, metadata } = json('fixed.json');
    const dtypes: Record<string, tg.DType> = { F32: 'float32', I32: 'int32', BOOL: 'bool' };
    const made: Record<string, tg.Tensor> = {};
    for (const t of tensors) made[t.name] = tg.tensor(t.values, { dtype: dtypes[t.dtype] }).reshape(t.shape);
    tg.save(made, out('fixed.safetensors'), metadata);
    const ours = fs.readFileSync(out('fixed.safetensors'));
    const theirs = fs.readFileSync(fixture('fixed.safetensors'));
    expect(headerText(ours)).toBe(headerText(theirs)); // a readable diff if they differ
    expect(ours.equals(theirs)).toBe(true);
  });
});

describe('load reads what PyTorch writes', () => {
  it("loads a PyTorch model's state dict (I64 num_batches_tracked included) and gives PyTorch's outputs", () => {
    const { input, output, state_keys: keys } = json('mlp.json');
    const sd = tg.load(fixture('mlp.safetensors'));
    expect(Object.keys(sd).sort()).toEqual([...keys].sort());
    expect(sd['2.num_batches_tracked'].dtype).toBe('int32');
    expect(sd['2.num_batches_tracked'].item()).toBe(3);
    const model = mlp();
    expect(model.loadStateDict(sd)).toEqual({ missingKeys: [], unexpectedKeys: [] });
    model.eval();
    const y = model(tg.tensor(input));
    expect(y.shape).toEqual([5, 3]);
    expectClose(y.dataSync(), output.flat(), 1e-5, 1e-6);
  });

  it('reads the fixed set back with its dtypes, shapes, values and metadata', () => {
    const { tensors, metadata } = json('fixed.json');
    const sd = tg.load(fixture('fixed.safetensors'));
    for (const t of tensors) {
      expect(sd[t.name].shape).toEqual(t.shape);
      expect(sd[t.name].dtype).toBe({ F32: 'float32', I32: 'int32', BOOL: 'bool' }[t.dtype as string]);
      expect(Array.from(sd[t.name].dataSync())).toEqual(t.values.map(Number));
    }
    expect(Object.is(sd['layer.10.weight'].dataSync()[3], -0)).toBe(true);
    expect(tg.io.loadMetadata(fixture('fixed.safetensors'))).toEqual(metadata);
    // Keys come in the file's order (the order of the data), but for integer-like names, which a
    // JavaScript object always lists first.
    expect(Object.keys(sd)).toEqual(['0', 'Zeta', 'a.bias', 'empty', 'layer.10.weight', 'layer.2.weight', 'ünïcode', 'labels', 'flag', 'mask']);
  });

  it("converts F16, BF16, F64, I64, I8, U8, I16 and BOOL as PyTorch's .float() / .int() do", () => {
    const expected = json('dtypes.json') as Record<string, { shape: number[]; float32_bits?: number[]; values?: number[] }>;
    const sd = tg.load(fixture('dtypes.safetensors'));
    for (const [name, e] of Object.entries(expected)) {
      const t = sd[name];
      expect(t.shape, name).toEqual(e.shape);
      if (e.float32_bits) {
        expect(t.dtype, name).toBe('float32');
        expect(Array.from(new Uint32Array(t.dataSync().buffer)), name).toEqual(e.float32_bits);
      } else {
        expect(t.dtype, name).toBe(name === 'bool' ? 'bool' : 'int32');
        expect(Array.from(t.dataSync()), name).toEqual(e.values);
      }
    }
  });
});

describe('round trips', () => {
  it("tg.save(model.stateDict()) then loadStateDict(tg.load()) gives the same model, bit for bit", () => {
    tg.manualSeed(3);
    const a = mlp();
    a(tg.randn(16, 4)); // training-mode pass: running statistics move, num_batches_tracked = 1
    tg.save(a.stateDict(), out('mlp.safetensors'), { epoch: '1' });
    const b = mlp();
    b.loadStateDict(tg.load(out('mlp.safetensors')));
    for (const [k, t] of Object.entries(a.stateDict())) expect(bytesOf(b.stateDict()[k]).equals(bytesOf(t)), k).toBe(true);
    expect(b.stateDict()['2.num_batches_tracked'].item()).toBe(1);
    const x = tg.randn(3, 4);
    expect(b.eval()(x).dataSync()).toEqual(a.eval()(x).dataSync());
    expect(tg.io.loadMetadata(out('mlp.safetensors'))).toEqual({ epoch: '1' });
  });

  it('matches the PyTorch file tensor for tensor once tensorgrad has written it (int64 counts become I32)', () => {
    tg.save(tg.load(fixture('mlp.safetensors')), out('mlp-again.safetensors'));
    const header = JSON.parse(headerText(fs.readFileSync(out('mlp-again.safetensors'))));
    expect(header['2.num_batches_tracked']).toEqual({ dtype: 'I32', shape: [], data_offsets: expect.any(Array) });
    const again = tg.load(out('mlp-again.safetensors'));
    for (const [k, t] of Object.entries(tg.load(fixture('mlp.safetensors')))) expect(bytesOf(again[k]).equals(bytesOf(t)), k).toBe(true);
  });

  it('keeps every name as a key, "__proto__" and "constructor" included, and empty and 0-d tensors', () => {
    const odd: Record<string, tg.Tensor> = {};
    Object.defineProperty(odd, '__proto__', { value: tg.tensor([1, 2]), enumerable: true });
    odd['constructor' as string] = tg.tensor(true);
    odd[''] = tg.zeros(2, 0);
    odd['0'] = tg.tensor(5, { dtype: 'int32' });
    tg.save(odd, out('odd.safetensors'));
    const back = tg.load(out('odd.safetensors'));
    expect(Object.keys(back).sort()).toEqual(['', '0', '__proto__', 'constructor']);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(back.__proto__.toArray()).toEqual([1, 2]);
    expect(back['constructor' as string].dtype).toBe('bool');
    expect(back[''].shape).toEqual([2, 0]);
    expect(back['0'].item()).toBe(5);
  });

  it('tg.save and tg.load are those of tg.io', () => {
    expect(tg.io.save).toBe(tg.save);
    expect(tg.io.load).toBe(tg.load);
  });
});

describe('save refuses what it cannot write, before touching the file', () => {
  it('names the offending entry and writes nothing', () => {
    const file = out('refused.safetensors');
    const bad: [unknown, unknown, RegExp, typeof TypeError][] = [
      [{ w: [1, 2] }, undefined, /refused\.safetensors.*"w" is not a Tensor \(got an array\)/, TypeError],
      [{ __metadata__: tg.ones(1) }, undefined, /"__metadata__" is reserved/, RangeError],
      [tg.ones(2), undefined, /expected an object of named tensors.*got Tensor/, TypeError],
      [{ w: tg.ones(1) }, { epoch: 3 }, /metadata values must be strings, but "epoch" is number/, TypeError],
      [{ w: tg.ones(1) }, ['x'], /metadata must be an object of strings/, TypeError],
    ];
    for (const [tensors, metadata, message, kind] of bad) {
      expect(() => tg.save(tensors as Record<string, tg.Tensor>, file, metadata as Record<string, string>)).toThrow(kind);
      expect(() => tg.save(tensors as Record<string, tg.Tensor>, file, metadata as Record<string, string>)).toThrow(message);
    }
    expect(() => tg.save({}, '' as string)).toThrow(/path must be a non-empty string/);
    expect(fs.readdirSync(dir).filter((f) => f.includes('refused'))).toEqual([]);
  });
});
