// `tensorgrad plot` and `tensorgrad train --plot`, run in-process through main(): exit codes, the
// files written, and the messages for bad input.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../lib/cli/main';
import { pngSize, readSvg, svgTexts, withoutPackages } from './helpers/images';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-plot-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let stdout: string[];
let stderr: string[];
beforeEach(() => {
  stdout = [];
  stderr = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void stdout.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void stderr.push(a.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const history = { args: { epochs: 2 }, epoch: [0, 1], history: { loss: [0.5, 0.3], accuracy: [0.8, 0.9], valLoss: [0.4, 0.35], valAccuracy: [0.85, 0.88] }, stoppedBecause: null };

describe('tensorgrad plot', () => {
  it('draws history.json as history.svg beside it by default', async () => {
    const file = write('history.json', JSON.stringify(history));
    expect(await main(['plot', file])).toBe(0);
    const out = path.join(dir, 'history.svg');
    expect(stdout.join('\n')).toContain(`curves written to ${out}`);
    const texts = svgTexts(readSvg(out).text);
    for (const t of ['loss', 'accuracy', 'training', 'validation']) expect(texts).toContain(t);
  });

  it('writes PNG with --out, creating its folder, with --title', async () => {
    const file = write('run.json', JSON.stringify(history));
    const out = path.join(dir, 'pictures', 'curves.png');
    expect(await main(['plot', file, '--out', out, '--title', 'two epochs'])).toBe(0);
    expect(pngSize(out).width).toBeGreaterThan(1000);
  });

  it('answers bad input with a clear message and exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['plot', path.join(dir, 'nope.json')], /no such file: .*nope\.json/],
      [['plot', write('broken.json', '{"history": ')], /broken\.json is not valid JSON/],
      [['plot', write('no-loss.json', '{"history": {"accuracy": [0.5]}}')], /no-loss\.json: the history has no 'loss' series \(it has: accuracy\)/],
      [['plot', write('not-history.json', '[1, 2]')], /not-history\.json: expected a training history/],
      [['plot'], /expected one history file, got none/],
      [['plot', 'a.json', 'b.json'], /expected one history file, got a\.json b\.json/],
      [['plot', 'a.json', '--out', 'curves.pdf'], /--out must end in \.svg or \.png, got 'curves\.pdf'/],
      [['plot', 'a.json', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [argv, message] of cases) {
      stderr = [];
      expect(await main(argv), argv.join(' ')).toBe(2);
      expect(stderr.join('\n')).toMatch(message);
    }
    expect(fs.existsSync(path.join(dir, 'no-loss.svg'))).toBe(false);
  });

  it('exits 1 naming the install command when a drawing package is missing', async () => {
    const file = write('h.json', JSON.stringify(history));
    const code = await withoutPackages(['@resvg/resvg-js'], () => main(['plot', file, '--out', path.join(dir, 'h.png')]));
    expect(code).toBe(1);
    expect(stderr.join('\n')).toMatch(/needs @resvg\/resvg-js \(not installed\).*npm install vega@5 vega-lite@5 @resvg\/resvg-js@2 pngjs@7/);
    expect(await main(['plot', '--help'])).toBe(0);
    expect(stdout.join('\n')).toContain('usage: tensorgrad plot');
  });
});

describe('tensorgrad train --plot', () => {
  it('writes history.svg beside history.json at the end of training', async () => {
    const out = path.join(dir, 'run');
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['train', '--train-limit', '2000', '--epochs', '1', '--out', out, '--plot', '--quiet'])).toBe(0);
    expect(stdout.join('\n')).toContain(`curves written to ${path.join(out, 'history.svg')}`);
    const texts = svgTexts(readSvg(path.join(out, 'history.svg')).text);
    for (const t of ['loss', 'accuracy', 'training', 'validation', '1']) expect(texts).toContain(t);
  });

  it('stops before training when the packages for --plot are missing', async () => {
    const out = path.join(dir, 'never');
    const code = await withoutPackages(['vega'], () => main(['train', '--epochs', '1', '--out', out, '--plot']));
    expect(code).toBe(1);
    expect(stderr.join('\n')).toMatch(/tensorgrad train: --plot needs vega \(not installed\)/);
    expect(fs.existsSync(out)).toBe(false);
  });
});
