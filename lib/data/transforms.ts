/**
 * The image transforms of the tutorials (torchvision.transforms), as functions Tensor -> Tensor.
 * Each works on one image [C, H, W] and on a batch [N, C, H, W] alike, and transforming a batch
 * gives exactly the stack of the transformed images: the datasets rely on it, since the
 * DataLoader's fast path applies a dataset's transform to a whole batch at once.
 *
 * There is no toTensor: the datasets already give float32 images scaled to [0, 1], which is what
 * ToTensor makes in torchvision, so drop it when porting a pipeline.
 */
import { sub, div } from '../ops/binary';
import { flatten as flattenOp } from '../ops/view';
import { tensor } from '../tensor/create';
import { shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/** A transform of images or of batches of images (or, for targets, of labels). */
export type Transform = (x: Tensor) => Tensor;

function checkImage(x: Tensor, fn: string): void {
  if (!(x instanceof Tensor)) throw new TypeError(`${fn}: expected a Tensor, got ${typeof x}`);
  if (x.ndim !== 3 && x.ndim !== 4) {
    throw new RangeError(`${fn}: expected an image [C, H, W] or a batch of images [N, C, H, W], got shape ${shapeStr(x.shape)}`);
  }
}

function perChannel(values: number | readonly number[], name: string): number[] {
  const list = typeof values === 'number' ? [values] : [...values];
  if (list.length === 0 || list.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
    throw new TypeError(`normalize: ${name} must be a number or a non-empty list of finite numbers, got ${String(values)}`);
  }
  return list;
}

/**
 * (x - mean[c]) / std[c] for each channel c (torchvision's Normalize): mean and std give one
 * value per channel, or one for all. MNIST's usual values are normalize(0.1307, 0.3081).
 */
export function normalize(mean: number | readonly number[], std: number | readonly number[]): Transform {
  const m = perChannel(mean, 'mean');
  const s = perChannel(std, 'std');
  if (s.some((v) => v === 0)) throw new RangeError(`normalize: std evaluated to zero after conversion to float32, leading to division by zero (std = [${s.join(', ')}])`);
  if (m.length !== s.length && m.length !== 1 && s.length !== 1) {
    throw new RangeError(`normalize: mean has ${m.length} values and std has ${s.length}; give one per channel or one for all`);
  }
  // [C, 1, 1] broadcasts over [C, H, W] and [N, C, H, W] alike.
  const meanT = tensor(m).reshape(m.length, 1, 1);
  const stdT = tensor(s).reshape(s.length, 1, 1);
  const channels = Math.max(m.length, s.length);
  return (x: Tensor): Tensor => {
    checkImage(x, 'normalize');
    const c = x.shape[x.ndim - 3];
    if (channels !== 1 && c !== channels) {
      throw new RangeError(`normalize: ${channels} means and stds for an image of ${c} channels (shape ${shapeStr(x.shape)})`);
    }
    return div(sub(x, meanT), stdT);
  };
}

/** An image [C, H, W] as a vector [C*H*W], a batch [N, C, H, W] as rows [N, C*H*W] (a view). */
export function flatten(): Transform {
  return (x: Tensor): Tensor => {
    checkImage(x, 'flatten');
    return flattenOp(x, -3, -1);
  };
}

/** The transforms applied in turn (torchvision's Compose). */
export function compose(transforms: readonly Transform[]): Transform {
  if (!Array.isArray(transforms) || transforms.some((t) => typeof t !== 'function')) {
    throw new TypeError('compose: expected a list of transforms (functions Tensor -> Tensor)');
  }
  const list = [...transforms];
  return (x: Tensor): Tensor => list.reduce((y, t) => t(y), x);
}
