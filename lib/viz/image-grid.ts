/** A grid of images, each scaled up with sharp pixels and captioned, as the tutorials show MNIST. */
import type { Tensor } from '../tensor/tensor';
import { normalizeCaptions, predictionCaptions, type Caption } from './captions';
import type { ClassesLike } from './labels';
import { load } from './packages';
import { pngDataUrls, toPixels, type PixelOptions } from './pixels';
import { drawVega, FONT_FAMILY, formatOf, packagesFor } from './render';

export interface ImageGridOptions extends PixelOptions {
  /** One caption per image, drawn below it: a string or { text, color }. */
  captions?: readonly (string | Caption)[];
  /** True labels and predictions (indices [N] or scores [N, C]): captions "label / predicted", red where wrong. */
  labels?: ClassesLike;
  predictions?: ClassesLike;
  /** Names for the label and predicted captions (default: the class indices). */
  classNames?: readonly string[];
  /** Images per row (default: up to 10). */
  columns?: number;
  /** Screen pixels per image pixel (default 3: 28 x 28 digits become 84 x 84). */
  scale?: number;
  title?: string;
}

const GAP = 6;
const FONT = 13;

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`imageGrid: ${name} must be a positive integer, got ${value}`);
  return value;
}

function captionsOf(options: ImageGridOptions, n: number): Caption[] | null {
  if (options.captions !== undefined && (options.labels !== undefined || options.predictions !== undefined)) {
    throw new TypeError('imageGrid: give captions, or labels and predictions, not both');
  }
  if ((options.labels === undefined) !== (options.predictions === undefined)) throw new TypeError('imageGrid: labels and predictions go together');
  const captions = options.captions !== undefined ? normalizeCaptions(options.captions, 'imageGrid') : options.labels !== undefined ? predictionCaptions(options.labels, options.predictions!, options.classNames) : null;
  if (captions && captions.length !== n) throw new RangeError(`imageGrid: ${n} images but ${captions.length} captions`);
  return captions;
}

/** Each image at its place, scaled up without smoothing: the pixels stay square. */
function imageMark(tile: { w: number; h: number }): object {
  return {
    type: 'image',
    from: { data: 'images' },
    encode: { enter: { url: { field: 'url' }, x: { field: 'x' }, y: { field: 'y' }, width: { value: tile.w }, height: { value: tile.h }, aspect: { value: false }, smooth: { value: false } } },
  };
}

/** Each caption centred under its image (only when there are captions: an empty text still takes room). */
function captionMark(tile: { w: number; h: number }): object {
  return {
    type: 'text',
    from: { data: 'images' },
    encode: {
      enter: {
        text: { field: 'text' },
        fill: { field: 'color' },
        x: { signal: `datum.x + ${tile.w / 2}` },
        y: { signal: `datum.y + ${tile.h + 4}` },
        align: { value: 'center' },
        baseline: { value: 'top' },
        fontSize: { value: FONT },
        font: { value: FONT_FAMILY },
      },
    },
  };
}

/** The Vega spec: the images and their captions, at positions laid out here. */
function gridSpec(urls: string[], captions: Caption[] | null, tile: { w: number; h: number }, columns: number, title?: string): object {
  // Vega sizes text by an estimate in Node (no canvas); 0.62 em per character is DejaVu Sans' width, near enough for others.
  const textWidth = Math.max(0, ...(captions ?? []).map((c) => Math.ceil(0.62 * FONT * c.text.length)));
  const cellW = Math.max(tile.w, textWidth) + GAP;
  const cellH = tile.h + (captions ? FONT + 8 : 0) + GAP;
  const rows = Math.ceil(urls.length / columns);
  const items = urls.map((url, i) => ({
    url,
    x: (i % columns) * cellW + (cellW - GAP - tile.w) / 2,
    y: Math.floor(i / columns) * cellH,
    text: captions?.[i].text ?? '',
    color: captions?.[i].color ?? '',
  }));
  return {
    width: columns * cellW - GAP,
    height: rows * cellH - GAP,
    padding: 8,
    background: 'white',
    title: title ? { text: title, fontSize: 14, font: FONT_FAMILY } : undefined,
    data: [{ name: 'images', values: items }],
    marks: captions ? [imageMark(tile), captionMark(tile)] : [imageMark(tile)],
  };
}

/**
 * Writes the images (float32 [N, 1, H, W], [N, H, W] or [N, 3, H, W], in [0, 1] or normalized
 * with the given mean and std) as a grid to a .png (or .svg) file, each scaled up and captioned.
 * Resolves to the path written.
 */
export async function imageGrid(images: Tensor, file: string, options: ImageGridOptions = {}): Promise<string> {
  const what = 'imageGrid';
  const format = formatOf(file, what);
  const scale = positiveInt(options.scale, 3, 'scale');
  const pixels = toPixels(images, options);
  const columns = positiveInt(options.columns, Math.min(pixels.n, 10), 'columns');
  const captions = captionsOf(options, pixels.n);
  const { pngjs } = load(packagesFor(format, { tiles: true }), `${what} (to write .${format})`);
  const spec = gridSpec(pngDataUrls(pixels, pngjs), captions, { w: pixels.width * scale, h: pixels.height * scale }, columns, options.title);
  return drawVega(spec, file, format, 1, what);
}
