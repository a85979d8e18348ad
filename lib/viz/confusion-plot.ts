/** The confusion matrix as a heatmap with its counts written in the cells. */
import type { Tensor } from '../tensor/tensor';
import { checkMatrix, type ConfusionMatrix } from './confusion';
import { load } from './packages';
import { checkScale, compileLite, drawVega, FONT_FAMILY, formatOf, packagesFor } from './render';

export interface PlotConfusionOptions {
  /** Names of the classes, in order (default: their indices). */
  classNames?: readonly string[];
  title?: string;
  /** Side of one cell in pixels (default 36). */
  cellSize?: number;
  /** Pixels per unit in a PNG (default 2, sharp on high-density screens). */
  pixelRatio?: number;
}

/** The Vega-Lite spec: one rect per cell colored by count, the count on top in a contrasting color. */
function confusionSpec(m: ConfusionMatrix, names: string[], options: PlotConfusionOptions): object {
  const values = m.flatMap((row, i) => row.map((count, j) => ({ actual: names[i], predicted: names[j], count })));
  const max = Math.max(1, ...m.flat());
  const side = (options.cellSize ?? 36) * m.length;
  const axis = (title: string) => ({ field: title === 'true label' ? 'actual' : 'predicted', type: 'ordinal', sort: names, title, axis: { labelAngle: 0 } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    width: side,
    height: side,
    data: { values },
    encoding: { x: axis('predicted'), y: axis('true label') },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues', domain: [0, max] }, title: 'count' } } },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: 'white' }, value: '#222' },
        },
      },
    ],
    config: { background: 'white', font: FONT_FAMILY, view: { stroke: null } },
  };
}

/** Draws the matrix that confusionMatrix returns (or a [C, C] tensor) to a .svg or .png file. */
export async function plotConfusionMatrix(matrix: ConfusionMatrix | Tensor, file: string, options: PlotConfusionOptions = {}): Promise<string> {
  const what = 'plotConfusionMatrix';
  const format = formatOf(file, what);
  const m = checkMatrix(matrix, what);
  const pixelRatio = checkScale(options.pixelRatio ?? 2, what);
  const names = m.map((_, i) => options.classNames?.[i] ?? String(i));
  if (new Set(names).size !== names.length) throw new RangeError(`${what}: classNames must be distinct`);
  const packages = load(packagesFor(format, { lite: true }), `${what} (to write .${format})`);
  return drawVega(compileLite(packages['vega-lite'], confusionSpec(m, names, options)), file, format, pixelRatio, what);
}
