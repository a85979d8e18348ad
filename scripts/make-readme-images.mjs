#!/usr/bin/env node
// The README's pictures: trains a small MLP on part of MNIST (seconds), then draws its training
// curves, a grid of test images captioned "label / predicted", the misclassified ones, and the
// confusion matrix. Needs dist/ (npm run build:ts) and the drawing packages (devDependencies).
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tg from 'tensorgrad';

const USAGE = `usage: node scripts/make-readme-images.mjs [--out DIR]

  --out DIR   where the PNG files go (default docs/images)`;

const { values } = parseArgs({ options: { out: { type: 'string' }, help: { type: 'boolean' } } });
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const out = values.out ?? 'docs/images';

tg.manualSeed(0);
const mean = 0.1307;
const std = 0.3081;
const train = new tg.data.Subset(new tg.datasets.MNIST({ train: true, transform: tg.transforms.normalize(mean, std) }), [...Array(10000).keys()]);
const test = new tg.datasets.MNIST({ train: false, transform: tg.transforms.normalize(mean, std) });
const { nn } = tg;
const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));

const history = await tg.train.fit(model, {
  data: new tg.data.DataLoader(train, { batchSize: 64, shuffle: true }),
  validationData: new tg.data.DataLoader(test, { batchSize: 1000 }),
  epochs: 8,
  optimizer: new tg.optim.Adam(model.parameters(), { lr: 1e-3 }),
  loss: new nn.CrossEntropyLoss(),
  metrics: ['accuracy'],
});

const images = test.data; // [10000, 1, 28, 28] in [0, 1]
const predictions = (await tg.train.predict(model, images.sub(mean).div(std))).argmax(1);
const wrong = tg.viz.misclassified(images, test.targets, predictions, { limit: 20 });
const matrix = tg.viz.confusionMatrix(test.targets, predictions, 10);
console.log(tg.viz.formatConfusionMatrix(matrix));

const files = [
  await tg.viz.plotHistory(history, path.join(out, 'training-curves.png'), { title: 'MLP 784-128-10 on 10,000 MNIST digits (Adam)' }),
  await tg.viz.imageGrid(images.narrow(0, 0, 30), path.join(out, 'mnist-predictions.png'), {
    labels: test.targets.narrow(0, 0, 30),
    predictions: predictions.narrow(0, 0, 30),
  }),
  await tg.viz.imageGrid(wrong.images, path.join(out, 'mnist-misclassified.png'), { labels: wrong.labels, predictions: wrong.predictions }),
  await tg.viz.plotConfusionMatrix(matrix, path.join(out, 'confusion-matrix.png'), { title: 'MNIST test set' }),
];
console.log(`written: ${files.join(', ')}`);
