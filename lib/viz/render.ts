/**
 * Every picture is a Vega spec: Vega lays it out and writes SVG; for .png, resvg rasterizes that
 * SVG. One path for charts and image grids, so both look alike and both formats always agree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { load, type PackageName, type ResvgPackage, type VegaLite } from './packages';

export type ImageFormat = 'svg' | 'png';

/**
 * Named sans-serif fonts before the generic family: resvg maps a bare "sans-serif" to Arial and,
 * where Arial is missing (most Linux systems), to the first font it finds, often a serif one.
 */
export const FONT_FAMILY = 'Helvetica Neue, Helvetica, Arial, DejaVu Sans, Liberation Sans, Noto Sans, sans-serif';

/** The format a file name asks for, from its extension. */
export function formatOf(file: string, what: string): ImageFormat {
  if (typeof file !== 'string' || file === '') throw new TypeError(`${what}: the path must be a non-empty string`);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.svg' || ext === '.png') return ext.slice(1) as ImageFormat;
  throw new RangeError(`${what}: cannot tell the format of '${file}': use a .svg or .png file name`);
}

/** The packages drawing a Vega(-Lite) spec into `format` needs. */
export function packagesFor(format: ImageFormat, { lite = false, tiles = false } = {}): PackageName[] {
  const names: PackageName[] = ['vega'];
  if (lite) names.push('vega-lite');
  if (tiles) names.push('pngjs');
  if (format === 'png') names.push('@resvg/resvg-js');
  return names;
}

/** A Vega-Lite spec compiled to Vega, with the compiler's warnings kept quiet (they concern defaults we chose). */
export function compileLite(vegaLite: VegaLite, spec: object): object {
  const quiet = { level: () => quiet, error: (...m: unknown[]) => console.error(...m), warn: () => quiet, info: () => quiet, debug: () => quiet };
  return vegaLite.compile(spec, { logger: quiet }).spec;
}

let fontsChecked = false;

/**
 * resvg draws text with the system's fonts and silently leaves it out when there are none (slim
 * containers): say so once, rather than hand over a chart with no labels.
 */
function warnIfNoFonts(resvg: ResvgPackage): void {
  if (fontsChecked) return;
  fontsChecked = true;
  const probe = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><text x="2" y="15" font-size="14">Ag</text></svg>';
  const pixels = new resvg.Resvg(probe).render().pixels;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return;
  process.emitWarning('no system font was found, so text is missing from the PNG; install one (Debian/Ubuntu: apt-get install fonts-dejavu-core) or write .svg', 'TensorgradVizWarning');
}

/** Writes a Vega spec to `file` as SVG or PNG (`scale` times the spec's pixel size). */
export async function drawVega(vegaSpec: object, file: string, format: ImageFormat, scale: number, what: string): Promise<string> {
  const { vega } = load(['vega'], what);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logLevel: vega.Error });
  let svg: string;
  try {
    svg = await view.toSVG();
  } finally {
    view.finalize();
  }
  let bytes: string | Buffer = svg;
  if (format === 'png') {
    const resvg = load(['@resvg/resvg-js'], what)['@resvg/resvg-js'];
    warnIfNoFonts(resvg);
    bytes = new resvg.Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true } }).render().asPng();
  }
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

/** Checks a scale factor option (pixels per spec unit in PNG). */
export function checkScale(scale: unknown, what: string): number {
  if (typeof scale !== 'number' || !(scale > 0) || scale > 16) throw new RangeError(`${what}: scale must be a number in (0, 16], got ${String(scale)}`);
  return scale;
}
