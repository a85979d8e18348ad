/** The confusion matrix and its text table for the terminal. */
import { Tensor } from '../tensor/tensor';
import { labelPairs, type ClassesLike } from './labels';

/** counts[i][j]: how many samples of true class i were predicted as class j (rows true, as in scikit-learn). */
export type ConfusionMatrix = number[][];

/**
 * Counts of (true label, predicted class) pairs. `predictions` may be class indices [N] or the
 * model's scores [N, C] (their argmax is taken).
 */
export function confusionMatrix(labels: ClassesLike, predictions: ClassesLike, numClasses: number): ConfusionMatrix {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`confusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
  const pairs = labelPairs(labels, predictions, 'confusionMatrix');
  const counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < pairs.labels.length; i++) {
    const [t, p] = [pairs.labels[i], pairs.predictions[i]];
    if (t >= numClasses || p >= numClasses) {
      throw new RangeError(`confusionMatrix: sample ${i} has label ${t} and prediction ${p}, but numClasses is ${numClasses}`);
    }
    counts[t][p]++;
  }
  return counts;
}

/** A square matrix of counts from a ConfusionMatrix or a [C, C] tensor, checked. */
export function checkMatrix(matrix: ConfusionMatrix | Tensor, what: string): ConfusionMatrix {
  const rows = matrix instanceof Tensor ? matrix.toArray() : matrix;
  const square = Array.isArray(rows) && rows.length > 0 && rows.every((r) => Array.isArray(r) && r.length === rows.length);
  if (!square) throw new RangeError(`${what}: expected a square, non-empty matrix of counts (as confusionMatrix returns)`);
  const out = (rows as unknown[][]).map((r) => r.map(Number));
  if (out.some((r) => r.some((v) => !Number.isFinite(v) || v < 0))) throw new RangeError(`${what}: counts must be finite and >= 0`);
  return out;
}

export interface ConfusionFormatOptions {
  /** Names of the classes, in order (default: their indices). Long names are cut to 12 characters. */
  classNames?: readonly string[];
}

function pct(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '-';
}

/**
 * The matrix as a text table: true classes in rows, predicted in columns, each row's recall
 * (right / all of that class) at its end, and the overall accuracy below.
 */
export function formatConfusionMatrix(matrix: ConfusionMatrix | Tensor, options: ConfusionFormatOptions = {}): string {
  const m = checkMatrix(matrix, 'formatConfusionMatrix');
  const names = m.map((_, i) => (options.classNames?.[i] ?? String(i)).slice(0, 12));
  const corner = 'true \\ pred';
  const rowHead = Math.max(corner.length, ...names.map((n) => n.length));
  const cell = Math.max(...names.map((n) => n.length), ...m.flat().map((v) => String(v).length));
  const header = `${corner.padStart(rowHead)} ${names.map((n) => n.padStart(cell)).join(' ')} | recall`;
  const lines = [header, '-'.repeat(header.length)];
  let right = 0;
  let total = 0;
  m.forEach((row, i) => {
    const n = row.reduce((a, b) => a + b, 0);
    right += row[i];
    total += n;
    lines.push(`${names[i].padStart(rowHead)} ${row.map((v) => String(v).padStart(cell)).join(' ')} | ${pct(row[i], n).padStart(6)}`);
  });
  lines.push(`accuracy ${pct(right, total)} (${right}/${total})`);
  return lines.join('\n');
}
