/**
 * `tensorgrad plot history.json [--out file.svg|png]`: the training curves of a run, next to its
 * history by default. Exit codes: 0 written, 2 a usage or input mistake (no such file, not JSON,
 * not a history), 1 the drawing failed (a drawing package missing, the file not writable).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { historyPoints, plotHistory, type HistoryLike } from '../viz/history-plot';
import { load } from '../viz/packages';
import { packagesFor } from '../viz/render';

const USAGE = `usage: tensorgrad plot HISTORY.json [options]

  Draws loss and accuracy per epoch, training and validation, from the history.json that
  \`tensorgrad train\` writes (or History.toJSON()).

  --out FILE      .svg or .png (default: HISTORY.svg beside the input)
  --title TEXT    a title above the curves`;

/** Where the curves of `historyFile` go by default: beside it, with the same name, as SVG. */
export function defaultPlotPath(historyFile: string, format: 'svg' | 'png' = 'svg'): string {
  const parsed = path.parse(historyFile);
  return path.join(parsed.dir, `${parsed.name}.${format}`);
}

/** Throws the packages' install message when the SVG curves cannot be drawn (checked before a long run). */
export function checkPlotPackages(what: string): void {
  load(packagesFor('svg', { lite: true }), what);
}

/** Draws the curves of a history beside its file (`tensorgrad train --plot`); resolves to the path. */
export function plotBeside(history: HistoryLike, historyFile: string): Promise<string> {
  return plotHistory(history, defaultPlotPath(historyFile));
}

/** The parsed history file, or an Error that says what is wrong with it. */
function readHistory(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error((e as { code?: string }).code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${(e as Error).message}`);
  }
  try {
    historyPoints(json);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return json;
}

export async function runPlot(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let file: string;
  let out: string;
  let title: string | undefined;
  let history: unknown;
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options: { out: { type: 'string' }, title: { type: 'string' } }, allowPositionals: true, strict: true });
    if (positionals.length !== 1) throw new Error(`expected one history file, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
    file = positionals[0];
    out = values.out ?? defaultPlotPath(file);
    title = values.title;
    if (!/\.(svg|png)$/i.test(out)) throw new Error(`--out must end in .svg or .png, got '${out}'`);
  } catch (e) {
    console.error(`tensorgrad plot: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    history = readHistory(file);
  } catch (e) {
    console.error(`tensorgrad plot: ${(e as Error).message}`);
    return 2;
  }
  try {
    await plotHistory(history as Parameters<typeof plotHistory>[0], out, { title });
  } catch (e) {
    console.error(`tensorgrad plot: ${(e as Error).message}`);
    return 1;
  }
  console.log(`curves written to ${out}`);
  return 0;
}
