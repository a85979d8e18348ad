/** Image tensors turned into 8-bit pixels, and those into small PNG files to place in a picture. */
import { shapeStr } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import type { Pngjs } from './packages';

export interface PixelOptions {
  /** The per-channel mean and std the images were normalized with; undone before drawing. */
  mean?: number | readonly number[];
  std?: number | readonly number[];
}

/** N images of C channels (1 gray, 3 RGB), H x W, as bytes row-major per image, RGBA interleaved. */
export interface Pixels {
  n: number;
  channels: 1 | 3;
  height: number;
  width: number;
  /** One RGBA buffer per image (H * W * 4 bytes), as PNG encoders take it. */
  rgba: Buffer[];
}

function perChannel(value: number | readonly number[] | undefined, fallback: number, channels: number, name: string): number[] {
  const list = value === undefined ? [fallback] : typeof value === 'number' ? [value] : [...value];
  if (list.length !== 1 && list.length !== channels) throw new RangeError(`imageGrid: ${name} has ${list.length} values for ${channels} channels`);
  if (list.some((v) => !Number.isFinite(v))) throw new RangeError(`imageGrid: ${name} must be finite numbers`);
  return Array.from({ length: channels }, (_, c) => list[list.length === 1 ? 0 : c]);
}

/**
 * The images [N, H, W], [N, 1, H, W] or [N, 3, H, W] as bytes: the normalization undone
 * (x * std + mean), then [0, 1] mapped to 0..255 with values outside clipped.
 */
export function toPixels(images: Tensor, options: PixelOptions = {}): Pixels {
  const s = images.shape;
  const ok = images.dtype === 'float32' && (s.length === 3 || (s.length === 4 && (s[1] === 1 || s[1] === 3)));
  if (!ok) throw new RangeError(`imageGrid: expected float32 images [N, H, W], [N, 1, H, W] or [N, 3, H, W], got ${images.dtype} ${shapeStr(s)}`);
  const [n, channels, height, width] = s.length === 3 ? [s[0], 1, s[1], s[2]] : s;
  if (n === 0 || height === 0 || width === 0) throw new RangeError(`imageGrid: no pixels to draw in a tensor of shape ${shapeStr(s)}`);
  const std = perChannel(options.std, 1, channels, 'std');
  const mean = perChannel(options.mean, 0, channels, 'mean');
  const data = images.dataSync();
  const plane = height * width;
  const rgba: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const out = Buffer.alloc(plane * 4, 255);
    for (let c = 0; c < 3; c++) {
      const src = (i * channels + (channels === 1 ? 0 : c)) * plane;
      const k = channels === 1 ? 0 : c;
      for (let p = 0; p < plane; p++) out[p * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, data[src + p] * std[k] + mean[k])));
    }
    rgba.push(out);
  }
  return { n, channels: channels as 1 | 3, height, width, rgba };
}

/** Each image as a PNG data: URL (gray or RGB), to be placed and scaled by the picture. */
export function pngDataUrls(pixels: Pixels, pngjs: Pngjs): string[] {
  const colorType = pixels.channels === 1 ? 0 : 2;
  return pixels.rgba.map((data) => `data:image/png;base64,${pngjs.PNG.sync.write({ width: pixels.width, height: pixels.height, data }, { colorType }).toString('base64')}`);
}
