/** Captions under images: free text, or "label / predicted" marked when the two differ. */
import { labelPairs, type ClassesLike } from './labels';

/** A caption's text and, optionally, its CSS color. */
export interface Caption {
  text: string;
  color?: string;
}

export const CAPTION_COLOR = '#222222';
/** The color of a caption whose prediction is wrong. */
export const WRONG_COLOR = '#d62728';

/** "label / predicted" for each image, red where they differ, with class names when given. */
export function predictionCaptions(labels: ClassesLike, predictions: ClassesLike, classNames?: readonly string[]): Caption[] {
  const pairs = labelPairs(labels, predictions, 'imageGrid');
  const name = (i: number) => classNames?.[i] ?? String(i);
  return pairs.labels.map((l, i) => {
    const p = pairs.predictions[i];
    return { text: `${name(l)} / ${name(p)}`, color: l === p ? CAPTION_COLOR : WRONG_COLOR };
  });
}

/** Captions given as strings or Caption objects, checked. */
export function normalizeCaptions(captions: readonly (string | Caption)[], what: string): Caption[] {
  if (!Array.isArray(captions)) throw new TypeError(`${what}: captions must be an array of strings or { text, color } objects`);
  return captions.map((c, i) => {
    const caption = typeof c === 'string' ? { text: c } : c;
    if (typeof caption?.text !== 'string') throw new TypeError(`${what}: caption ${i} is not a string nor a { text, color } object`);
    return { text: caption.text, color: caption.color ?? CAPTION_COLOR };
  });
}
