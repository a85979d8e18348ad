/** A line of unicode blocks for a run of numbers, small enough to ride on the progress line. */

const BLOCKS = '▁▂▃▄▅▆▇█';

/** Means of `values` in `width` consecutive runs of (nearly) equal length, so the whole series fits. */
function squeeze(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let b = 0; b < width; b++) {
    const from = Math.floor((b * values.length) / width);
    const to = Math.floor(((b + 1) * values.length) / width);
    let sum = 0;
    for (let i = from; i < to; i++) sum += values[i];
    out.push(sum / (to - from));
  }
  return out;
}

/**
 * The values as block characters, lowest ▁ to highest █, at most `width` of them (longer series
 * are averaged down to fit). Non-finite values (a diverged loss) show as a space.
 */
export function sparkline(values: readonly number[], width = values.length): string {
  if (!Number.isInteger(width) || width < 0) throw new RangeError(`sparkline: width must be a whole number >= 0, got ${width}`);
  const points = squeeze(values, width);
  const finite = points.filter(Number.isFinite);
  const lo = Math.min(...finite);
  const range = Math.max(...finite) - lo;
  return points
    .map((v) => {
      if (!Number.isFinite(v)) return ' ';
      // A flat series sits in the middle rather than on the floor.
      const level = range > 0 ? Math.round(((v - lo) / range) * (BLOCKS.length - 1)) : 3;
      return BLOCKS[level];
    })
    .join('');
}
