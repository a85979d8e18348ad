// Michael Nielsen's convolutional network for MNIST (Neural Networks and Deep Learning, ch. 6):
// two conv-pool layers, Conv2d(1,20,5) -> MaxPool2d(2) -> ReLU and Conv2d(20,40,5) -> MaxPool2d(2)
// -> ReLU, then Linear(640,100) -> Sigmoid -> Linear(100,10), cross entropy, SGD lr 0.1 with
// weight decay 1e-4, batch 10. The book's conv-pool layers always end in an activation (sigmoid,
// then ReLU for its best runs): without one, this network diverges after a few epochs at lr 0.1,
// in PyTorch as well.
// Run: node examples/mnist-cnn-nielsen.mjs [epochs=2] [history.json to write]
import * as tg from 'tensorgrad';

const { nn, optim, data, datasets, transforms, train } = tg;

tg.manualSeed(0);
const transform = transforms.normalize(0.1307, 0.3081);
const trainSet = new datasets.MNIST({ train: true, transform });
const testSet = new datasets.MNIST({ train: false, transform });

const model = new nn.Sequential(
  new nn.Conv2d(1, 20, 5),
  new nn.MaxPool2d(2),
  new nn.ReLU(),
  new nn.Conv2d(20, 40, 5),
  new nn.MaxPool2d(2),
  new nn.ReLU(),
  new nn.Flatten(),
  new nn.Linear(640, 100),
  new nn.Sigmoid(),
  new nn.Linear(100, 10),
);
console.log(model.summary([1, 28, 28]));

const history = await train.fit(model, {
  data: new data.DataLoader(trainSet, { batchSize: 10, shuffle: true }),
  validationData: new data.DataLoader(testSet, { batchSize: 1000 }),
  epochs: Number(process.argv[2] ?? 2),
  optimizer: new optim.SGD(model.parameters(), { lr: 0.1, weightDecay: 1e-4 }),
  loss: new nn.CrossEntropyLoss(),
  metrics: ['accuracy'],
});
if (process.argv[3]) (await import('node:fs')).writeFileSync(process.argv[3], JSON.stringify(history));
const acc = history.history.valAccuracy;
console.log(`test accuracy: ${(100 * acc[acc.length - 1]).toFixed(2)}%`);
