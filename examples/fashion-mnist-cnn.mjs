// The Fashion-MNIST tutorial's network: Conv2d(1,6,5) -> ReLU -> MaxPool2d(2) -> Conv2d(6,12,5)
// -> ReLU -> MaxPool2d(2) -> Linear(192,120) -> ReLU -> Linear(120,60) -> ReLU -> Linear(60,10),
// Adam lr 0.01, batch 100, 5 epochs, on Fashion-MNIST from Debian's dataset-fashion-mnist.
// Run: node examples/fashion-mnist-cnn.mjs   (SEED=n for another seed, EPOCHS=n for another length)
import * as tg from 'tensorgrad';

const { nn, optim, data, datasets, train } = tg;

tg.manualSeed(Number(process.env.SEED ?? 0));
const trainSet = new datasets.FashionMNIST({ train: true });
const testSet = new datasets.FashionMNIST({ train: false });

const model = new nn.Sequential(
  new nn.Conv2d(1, 6, 5),
  new nn.ReLU(),
  new nn.MaxPool2d(2),
  new nn.Conv2d(6, 12, 5),
  new nn.ReLU(),
  new nn.MaxPool2d(2),
  new nn.Flatten(),
  new nn.Linear(192, 120),
  new nn.ReLU(),
  new nn.Linear(120, 60),
  new nn.ReLU(),
  new nn.Linear(60, 10),
);

const history = await train.fit(model, {
  data: new data.DataLoader(trainSet, { batchSize: 100, shuffle: true }),
  validationData: new data.DataLoader(testSet, { batchSize: 1000 }),
  epochs: Number(process.env.EPOCHS ?? 5),
  optimizer: new optim.Adam(model.parameters(), { lr: 0.01 }),
  loss: new nn.CrossEntropyLoss(),
  metrics: ['accuracy'],
});
const h = history.history;
console.log(`last epoch: training accuracy ${(100 * h.accuracy[h.accuracy.length - 1]).toFixed(2)}%, test accuracy ${(100 * h.valAccuracy[h.valAccuracy.length - 1]).toFixed(2)}%`);
