/**
 * Training curves: one panel per quantity (loss, accuracy, other metrics), training and
 * validation in each, per epoch.
 */
import { load } from './packages';
import { checkScale, compileLite, drawVega, FONT_FAMILY, formatOf, packagesFor } from './render';

/**
 * What plotHistory reads: a tg.train.History, its toJSON(), or the history.json that
 * `tensorgrad train` writes. JSON writes a NaN loss as null, which is drawn as a gap.
 */
export interface HistoryLike {
  history: Readonly<Record<string, readonly (number | null)[]>>;
  /** Epoch numbers counting from 0, as fit records them (default 0, 1, 2, ...). */
  epoch?: readonly number[];
}

export interface PlotHistoryOptions {
  /** Which quantities to draw, by their training name (default: every one recorded but lr). */
  metrics?: readonly string[];
  title?: string;
  /** Size of one panel in pixels (default 320 x 220). */
  width?: number;
  height?: number;
  /** Pixels per unit in a PNG (default 2, sharp on high-density screens). */
  pixelRatio?: number;
}

interface Point {
  epoch: number;
  metric: string;
  split: 'training' | 'validation';
  value: number | null;
}

/** 'valAccuracy' -> ['accuracy', 'validation']; 'loss' -> ['loss', 'training']. */
function splitKey(key: string): [string, Point['split']] {
  const m = /^val([A-Z].*)$/.exec(key);
  return m ? [m[1][0].toLowerCase() + m[1].slice(1), 'validation'] : [key, 'training'];
}

/**
 * The points to draw, checked: `history` must be an object of number arrays holding a loss.
 * Throws a TypeError that says what was expected and what was found.
 */
export function historyPoints(json: unknown, metrics?: readonly string[]): { metrics: string[]; points: Point[] } {
  const h = (json as { history?: unknown } | null)?.history;
  if (h === null || typeof h !== 'object' || Array.isArray(h)) {
    throw new TypeError("expected a training history: an object with a 'history' field of per-epoch arrays (as History.toJSON() and `tensorgrad train`'s history.json have)");
  }
  const series = Object.entries(h as Record<string, unknown>).filter(([, v]) => Array.isArray(v) && v.every((x) => x === null || typeof x === 'number'));
  const found = series.map(([k]) => k);
  if (!found.includes('loss')) throw new TypeError(`the history has no 'loss' series (it has: ${found.join(', ') || 'nothing that is an array of numbers'})`);
  const wanted = metrics ?? [...new Set(found.map((k) => splitKey(k)[0]))].filter((m) => m !== 'lr');
  const missing = wanted.filter((m) => !found.some((k) => splitKey(k)[0] === m));
  if (missing.length > 0) throw new TypeError(`the history has no series for ${missing.join(', ')} (it has: ${found.join(', ')})`);
  const epochs = (json as HistoryLike).epoch;
  const points: Point[] = [];
  for (const [key, values] of series as [string, (number | null)[]][]) {
    const [metric, split] = splitKey(key);
    if (!wanted.includes(metric)) continue;
    values.forEach((value, i) => points.push({ epoch: (epochs?.[i] ?? i) + 1, metric, split, value: Number.isFinite(value) ? value : null }));
  }
  return { metrics: [...wanted].sort((a, b) => rank(a) - rank(b)), points };
}

/** Loss first, accuracy next, the rest as recorded. */
function rank(metric: string): number {
  return metric === 'loss' ? 0 : metric === 'accuracy' ? 1 : 2;
}

/** Whole epochs at a step of 1, 2, 5, 10, 20, ... so that at most about 10 are labelled. */
export function epochTicks(epochs: readonly number[]): number[] {
  if (epochs.length === 0) return [];
  const lo = Math.min(...epochs);
  const hi = Math.max(...epochs);
  let step = 1;
  for (let i = 0; (hi - lo) / step > 10; i++) step = [2, 5, 10][i % 3] * 10 ** Math.floor(i / 3);
  const ticks: number[] = [];
  for (let e = Math.ceil(lo / step) * step; e <= hi; e += step) ticks.push(e);
  return ticks;
}

function panel(metric: string, width: number, height: number, splits: string[], ticks: number[]): object {
  const percent = metric.toLowerCase().includes('accuracy');
  return {
    width,
    height,
    transform: [{ filter: { field: 'metric', equal: metric } }],
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', scale: { nice: false, padding: 12 }, axis: { title: 'epoch', values: ticks, format: 'd' } },
      y: { field: 'value', type: 'quantitative', scale: { zero: false, padding: 12 }, axis: { title: metric, format: percent ? '~%' : '~g' } },
      color: { field: 'split', type: 'nominal', scale: { domain: splits }, legend: { title: null } },
    },
  };
}

/**
 * Draws loss and accuracy per epoch, training and validation, to a .svg or .png file (the
 * extension says which). Resolves to the path written.
 */
export async function plotHistory(history: HistoryLike, file: string, options: PlotHistoryOptions = {}): Promise<string> {
  const what = 'plotHistory';
  const format = formatOf(file, what);
  const pixelRatio = checkScale(options.pixelRatio ?? 2, what);
  let data: ReturnType<typeof historyPoints>;
  try {
    data = historyPoints(history, options.metrics);
  } catch (e) {
    throw new TypeError(`${what}: ${(e as Error).message}`);
  }
  const [width, height] = [options.width ?? 320, options.height ?? 220];
  if (!(width >= 50 && height >= 50 && width <= 10000 && height <= 10000)) throw new RangeError(`${what}: width and height must be in [50, 10000] pixels, got ${width} x ${height}`);
  const splits = [...new Set(data.points.map((p) => p.split))].sort();
  const ticks = epochTicks([...new Set(data.points.map((p) => p.epoch))]);
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    data: { values: data.points },
    hconcat: data.metrics.map((m) => panel(m, width, height, splits, ticks)),
    config: { background: 'white', font: FONT_FAMILY },
  };
  const packages = load(packagesFor(format, { lite: true }), `${what} (to write .${format})`);
  return drawVega(compileLite(packages['vega-lite'], spec), file, format, pixelRatio, what);
}
