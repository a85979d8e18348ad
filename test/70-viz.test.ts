// tg.viz: curves, image grids and confusion matrices written and read back (PNG header and
// pixels, SVG parsed with its texts), the text table, misclassified samples, sparklines, and the
// message when a drawing package is missing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { toPixels } from '../lib/viz/pixels';
import { Progress } from '../lib/train/progress';
import { countColor, pngPixels, pngSize, readSvg, svgTextFills, svgTexts, withoutPackages } from './helpers/images';

const { viz } = tg;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-viz-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const RED = '#d62728';

const history = tg.train.History.fromJSON({
  epoch: [0, 1, 2],
  history: { loss: [0.9, 0.5, 0.3], accuracy: [0.7, 0.85, 0.9], valLoss: [0.6, 0.45, 0.4], valAccuracy: [0.8, 0.86, 0.88], lr: [0.1, 0.1, 0.1] },
});

/** n small images [n, 1, 8, 6]: image i is a bar whose height grows with i. */
function bars(n: number): tg.Tensor {
  const data = new Float32Array(n * 8 * 6);
  for (let i = 0; i < n; i++) for (let y = 8 - 1 - (i % 8); y < 8; y++) for (let x = 2; x < 4; x++) data[i * 48 + y * 6 + x] = 1;
  return tg.tensor(data).reshape([n, 1, 8, 6]);
}

describe('missing drawing packages', () => {
  it('names every missing package and the one install command, and writes nothing', async () => {
    const file = path.join(dir, 'missing.png');
    const err = await withoutPackages(['vega-lite', '@resvg/resvg-js'], () => viz.plotHistory(history, file).catch((e: unknown) => e));
    expect(err).toBeInstanceOf(viz.MissingPackageError);
    const e = err as InstanceType<typeof viz.MissingPackageError>;
    expect(e.packages).toEqual(['vega-lite (not installed)', '@resvg/resvg-js (not installed)']);
    expect(e.message).toContain('plotHistory (to write .png) needs vega-lite (not installed), @resvg/resvg-js (not installed)');
    expect(e.message).toContain(viz.INSTALL_COMMAND);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('plotHistory', () => {
  it('writes SVG with both series and the axis titles of every panel but lr', async () => {
    const file = path.join(dir, 'curves.svg');
    expect(await viz.plotHistory(history, file)).toBe(file);
    const svg = readSvg(file);
    const texts = svgTexts(svg.text);
    for (const t of ['loss', 'accuracy', 'epoch', 'training', 'validation']) expect(texts).toContain(t);
    expect(texts).not.toContain('lr');
    expect(texts.filter((t) => t === 'epoch')).toHaveLength(2);
    // Three epochs, labelled 1, 2, 3 (counted from 1, as the progress display counts them).
    expect(texts).toEqual(expect.arrayContaining(['1', '2', '3']));
    expect(svg.width).toBeGreaterThan(600);
  });

  it('writes PNG (twice the pixels by default) from the JSON form, with a title', async () => {
    const svgFile = path.join(dir, 'size.svg');
    const pngFile = path.join(dir, 'curves.png');
    await viz.plotHistory(history.toJSON(), svgFile, { title: 'run 1' });
    await viz.plotHistory(JSON.parse(JSON.stringify(history)), pngFile, { title: 'run 1' });
    const svg = readSvg(svgFile);
    expect(svgTexts(svg.text)).toContain('run 1');
    expect(pngSize(pngFile)).toEqual({ width: Math.round(2 * svg.width), height: Math.round(2 * svg.height) });
    expect(pngPixels(pngFile).width).toBe(Math.round(2 * svg.width));
  });

  it('draws the chosen metrics only, a lone training loss, and a NaN loss (null in JSON) as a gap', async () => {
    const only = path.join(dir, 'only-loss.svg');
    await viz.plotHistory(history, only, { metrics: ['loss'] });
    expect(svgTexts(readSvg(only).text)).not.toContain('accuracy');
    const lone = path.join(dir, 'lone.svg');
    await viz.plotHistory({ history: { loss: [2.3, null, 1.1] } }, lone);
    const texts = svgTexts(readSvg(lone).text);
    expect(texts).toContain('training');
    expect(texts).not.toContain('validation');
  });

  it('refuses what is not a history, or an unknown format, before writing', async () => {
    const file = path.join(dir, 'bad.svg');
    await expect(viz.plotHistory({ history: { acc: [1] } }, file)).rejects.toThrow(/no 'loss' series \(it has: acc\)/);
    await expect(viz.plotHistory({} as tg.viz.HistoryLike, file)).rejects.toThrow(/expected a training history/);
    await expect(viz.plotHistory(history, file, { metrics: ['f1'] })).rejects.toThrow(/no series for f1/);
    await expect(viz.plotHistory(history, path.join(dir, 'curves.jpg'))).rejects.toThrow(/use a \.svg or \.png file name/);
    await expect(viz.plotHistory(history, file, { width: -1 })).rejects.toThrow(/width and height must be in \[50, 10000\] pixels, got -1 x 220/);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('imageGrid', () => {
  it('lays out N images in columns, each scaled, with a caption row under each', async () => {
    const file = path.join(dir, 'grid.png');
    const captions = Array.from({ length: 7 }, (_, i) => `#${i}`);
    await viz.imageGrid(bars(7), file, { captions, columns: 4, scale: 5 });
    // Cells: 30 x 40 pixels of image, 6 apart, 21 more rows for the caption; 8 of padding around.
    expect(pngSize(file)).toEqual({ width: 4 * 36 - 6 + 16, height: 2 * (40 + 21 + 6) - 6 + 16 });
    const png = pngPixels(file);
    // The bars are white on the black of each tile.
    expect(countColor(png, [0, 0, 0], 0)).toBeGreaterThan(7 * 30 * 40 * 0.5);
  });

  it('takes [N, H, W], defaults to 3x and up to 10 columns, and needs no captions', async () => {
    const file = path.join(dir, 'plain.png');
    await viz.imageGrid(bars(12).reshape([12, 8, 6]), file);
    expect(pngSize(file)).toEqual({ width: 10 * 24 - 6 + 16, height: 2 * (24 + 6) - 6 + 16 });
  });

  it('captions "label / predicted", red only where they differ', async () => {
    // Read from the SVG: the PNG is drawn from it, and its text needs a system font, which a
    // bare machine may lack.
    const svgFile = path.join(dir, 'captions.svg');
    const labels = tg.tensor([1, 2, 3, 4], { dtype: 'int32' });
    await viz.imageGrid(bars(4), svgFile, { labels, predictions: [1, 2, 7, 4] });
    expect(svgTextFills(readSvg(svgFile).text)).toEqual([
      { text: '1 / 1', fill: '#222222' },
      { text: '2 / 2', fill: '#222222' },
      { text: '3 / 7', fill: RED },
      { text: '4 / 4', fill: '#222222' },
    ]);
    await viz.imageGrid(bars(4), svgFile, { labels, predictions: tg.tensor([[0, 5], [0, 0], [9, 1], [0, 1]]), classNames: ['zero', 'one', 'two', 'three', 'four'] });
    expect(svgTexts(readSvg(svgFile).text)).toEqual(['one / one', 'two / zero', 'three / zero', 'four / one']);
    await viz.imageGrid(bars(2), svgFile, { captions: ['plain', { text: 'blue', color: '#0000ff' }] });
    expect(svgTextFills(readSvg(svgFile).text).map((t) => t.fill)).toEqual(['#222222', '#0000ff']);
  });

  it('checks the captions against the images', async () => {
    const file = path.join(dir, 'never.png');
    await expect(viz.imageGrid(bars(3), file, { captions: ['a', 'b'] })).rejects.toThrow('imageGrid: 3 images but 2 captions');
    await expect(viz.imageGrid(bars(3), file, { captions: ['a', 'b', 'c'], labels: [1, 2, 3], predictions: [1, 2, 3] })).rejects.toThrow(/not both/);
    await expect(viz.imageGrid(bars(3), file, { labels: [1, 2, 3] })).rejects.toThrow(/go together/);
    await expect(viz.imageGrid(tg.zeros(2, 2, 3, 3), file)).rejects.toThrow(/expected float32 images/);
    await expect(viz.imageGrid(tg.zeros(0, 1, 3, 3), file)).rejects.toThrow(/no pixels/);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('undoes a normalization with the given mean and std', () => {
    const x = tg.rand(2, 1, 4, 4);
    const normalized = x.sub(0.1307).div(0.3081);
    const plain = toPixels(x);
    const undone = toPixels(normalized, { mean: 0.1307, std: 0.3081 });
    const diff = plain.rgba.map((b, i) => Math.max(...b.map((v, j) => Math.abs(v - undone.rgba[i][j]))));
    expect(Math.max(...diff)).toBeLessThanOrEqual(1);
    // Without them, values outside [0, 1] are clipped rather than wrapped.
    const clipped = toPixels(tg.tensor([[[-3, 0.5, 7]]]));
    expect([...clipped.rgba[0]].filter((_, i) => i % 4 === 0)).toEqual([0, 128, 255]);
  });
});

describe('misclassified', () => {
  const images = bars(6);
  const labels = tg.tensor([0, 1, 2, 3, 4, 5], { dtype: 'int32' });

  it('picks the wrong ones, in order, with their images', () => {
    const m = viz.misclassified(images, labels, [0, 2, 2, 0, 4, 1]);
    expect(m.indices).toEqual([1, 3, 5]);
    expect(m.labels).toEqual([1, 3, 5]);
    expect(m.predictions).toEqual([2, 0, 1]);
    expect(m.images.shape).toEqual([3, 1, 8, 6]);
    expect(m.images.toArray()).toEqual(images.indexSelect(0, tg.tensor([1, 3, 5], { dtype: 'int32' })).toArray());
  });

  it('reads scores [N, C] as their argmax, stops at the limit, and may find none', () => {
    const s = new Float32Array(36);
    [0, 1, 5, 3, 0, 5].forEach((c, i) => (s[i * 6 + c] = 1));
    const m = viz.misclassified(images, labels, tg.tensor(s).reshape([6, 6]), { limit: 1 });
    expect(m.indices).toEqual([2]);
    expect(m.predictions).toEqual([5]);
    const none = viz.misclassified(images, labels, labels);
    expect(none.indices).toEqual([]);
    expect(none.images.shape).toEqual([0, 1, 8, 6]);
  });

  it('checks lengths and values', () => {
    expect(() => viz.misclassified(images, [0, 1], [0, 1])).toThrow(/but 2 labels/);
    expect(() => viz.misclassified(images, labels, [0, 1, 2])).toThrow(/6 labels but 3 predictions/);
    expect(() => viz.misclassified(images, labels, [0, 1, 2, 3, 4, -1])).toThrow(/whole numbers >= 0, got -1 at index 5/);
  });
});

describe('confusion matrix', () => {
  const labels = [0, 0, 1, 1, 1, 2, 2, 2, 2];
  const predictions = [0, 1, 1, 1, 2, 2, 2, 0, 2];

  it('counts (true, predicted) pairs, rows true', () => {
    expect(viz.confusionMatrix(labels, predictions, 3)).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [1, 0, 3],
    ]);
    const logits = tg.tensor(predictions.map((p) => [0, 1, 2].map((c) => (c === p ? 3 : -1))));
    expect(viz.confusionMatrix(tg.tensor(labels, { dtype: 'int32' }), logits, 4)).toEqual([
      [1, 1, 0, 0],
      [0, 2, 1, 0],
      [1, 0, 3, 0],
      [0, 0, 0, 0],
    ]);
    expect(() => viz.confusionMatrix(labels, predictions, 2)).toThrow(/sample 4 has label 1 and prediction 2, but numClasses is 2/);
    expect(() => viz.confusionMatrix(labels, predictions.slice(1), 3)).toThrow(/9 labels but 8 predictions/);
  });

  it('prints as a table with recall per class and the accuracy', () => {
    const table = viz.formatConfusionMatrix(viz.confusionMatrix(labels, predictions, 3), { classNames: ['cat', 'dog', 'bird'] });
    expect(table).toBe(
      [
        'true \\ pred  cat  dog bird | recall',
        '-----------------------------------',
        '        cat    1    1    0 |  50.0%',
        '        dog    0    2    1 |  66.7%',
        '       bird    1    0    3 |  75.0%',
        'accuracy 66.7% (6/9)',
      ].join('\n'),
    );
    expect(viz.formatConfusionMatrix(tg.tensor([[0, 0], [0, 5]]))).toContain('|      -');
    expect(() => viz.formatConfusionMatrix([[1, 2]])).toThrow(/square/);
  });

  it('draws a heatmap with the counts in its cells', async () => {
    const m = viz.confusionMatrix(labels, predictions, 3);
    const svgFile = path.join(dir, 'confusion.svg');
    await viz.plotConfusionMatrix(m, svgFile, { classNames: ['cat', 'dog', 'bird'], title: 'pets' });
    const texts = svgTexts(readSvg(svgFile).text);
    for (const t of ['pets', 'predicted', 'true label', 'cat', 'dog', 'bird', '3', '2']) expect(texts).toContain(t);
    // A count in every cell: three zeros, plus the 0 that starts the legend's scale.
    expect(texts.filter((t) => t === '0')).toHaveLength(3 + 1);
    const pngFile = path.join(dir, 'confusion.png');
    await viz.plotConfusionMatrix(m, pngFile, { pixelRatio: 1, cellSize: 40 });
    const { width, height } = pngSize(pngFile);
    expect(height).toBeGreaterThan(120);
    expect(width).toBeGreaterThan(height);
  });
});

describe('sparkline', () => {
  it('maps lowest to ▁ and highest to █', () => {
    expect(viz.sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(viz.sparkline([3, 1, 2])).toBe('█▁▅');
    expect(viz.sparkline([2, 2, 2])).toBe('▄▄▄');
    expect(viz.sparkline([1, NaN, 3])).toBe('▁ █');
    expect(viz.sparkline([])).toBe('');
  });

  it('averages long series down to the width', () => {
    expect(viz.sparkline([8, 8, 1, 1, 4, 5], 3)).toBe('█▁▅');
    expect(viz.sparkline(Array.from({ length: 1000 }, (_, i) => -i), 10)).toBe('█▇▆▆▅▄▃▃▂▁');
    expect(() => viz.sparkline([1], -1)).toThrow(RangeError);
  });

  it('rides on the live progress line after the loss, from the batch losses', () => {
    const out = { text: '', isTTY: true, write(s: string) { this.text += s; } };
    const progress = new Progress(out, 1, 1);
    progress.epochBegin(0);
    // Running means of batch losses 4, 3, 2, 1 over batches of 10: 4, 3.5, 3, 2.5. The blocks are
    // (loss - 1) / 3 of the way up seven steps, rounded: 7, 5, 2, 0.
    [4, 3.5, 3, 2.5].forEach((mean, i) => progress.batch(i + 1, 4, 10 * (i + 1), { loss: mean }));
    progress.epochEnd(0, 4, 40, { loss: 2.5 });
    expect(out.text).toMatch(/\r4\/4 \[=+\] - loss: 2\.5000 █▆▃▁ - [\d,]+ samples\/s/);
    expect(out.text).toMatch(/\r4\/4 - [\d.]+s \d+ms\/step - loss: 2\.5000 █▆▃▁ - /);
  });

  it('stays off the plain output', () => {
    const out = { text: '', isTTY: false, write(s: string) { this.text += s; } };
    const progress = new Progress(out, 2, 1);
    progress.epochBegin(0);
    progress.batch(1, 1, 10, { loss: 1 });
    progress.epochEnd(0, 1, 10, { loss: 1 });
    expect(out.text).toMatch(/^Epoch 1\/1 - [\d.]+s \d+ms\/step - loss: 1\.0000 - [\d,]+ samples\/s\n$/);
  });
});
