// A modern small CNN for MNIST: two blocks of 3x3 convolutions with batch norm and ReLU, max
// pooling, dropout, Adam with a one-cycle learning-rate schedule.
// Run: node examples/mnist-cnn-modern.mjs [epochs=3]
import * as tg from 'tensorgrad';

const { nn, optim, data, datasets, transforms, train } = tg;

const block = (cin, cout) => [new nn.Conv2d(cin, cout, 3, { padding: 1, bias: false }), new nn.BatchNorm2d(cout), new nn.ReLU()];

tg.manualSeed(0);
const transform = transforms.normalize(0.1307, 0.3081);
const trainSet = new datasets.MNIST({ train: true, transform });
const testSet = new datasets.MNIST({ train: false, transform });

const model = new nn.Sequential(
  ...block(1, 32),
  ...block(32, 32),
  new nn.MaxPool2d(2),
  ...block(32, 64),
  ...block(64, 64),
  new nn.MaxPool2d(2),
  new nn.Flatten(),
  new nn.Dropout(0.25),
  new nn.Linear(64 * 7 * 7, 10),
);
console.log(model.summary([1, 28, 28]));

const epochs = Number(process.argv[2] ?? 3);
const loader = new data.DataLoader(trainSet, { batchSize: 128, shuffle: true });
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const scheduler = new optim.lrScheduler.OneCycleLR(optimizer, { maxLr: 3e-3, epochs, stepsPerEpoch: loader.length });
const started = performance.now();
const history = await train.fit(model, {
  data: loader,
  validationData: new data.DataLoader(testSet, { batchSize: 1000 }),
  epochs,
  optimizer,
  loss: new nn.CrossEntropyLoss(),
  metrics: ['accuracy'],
  callbacks: [new train.LambdaCallback({ onBatchEnd: () => scheduler.step() })],
});
const acc = history.history.valAccuracy;
console.log(`test accuracy: ${(100 * acc[acc.length - 1]).toFixed(2)}% after ${epochs} epochs, ${((performance.now() - started) / 1000).toFixed(0)} s`);
