// Keras's MNIST recipe in tensorgrad's Keras-style loop: 784-512-10 with ReLU, RMSprop lr 1e-3,
// batch 128, 5 epochs. Run: node examples/mnist-mlp-keras-style.mjs
import * as tg from 'tensorgrad';

const { nn, optim, data, datasets, transforms, train } = tg;

tg.manualSeed(0);
const transform = transforms.normalize(0.1307, 0.3081);
const trainSet = new datasets.MNIST({ train: true, transform });
const testSet = new datasets.MNIST({ train: false, transform });

const model = new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 512), new nn.ReLU(), new nn.Linear(512, 10));
console.log(model.summary([1, 28, 28]));

const history = await train.fit(model, {
  data: new data.DataLoader(trainSet, { batchSize: 128, shuffle: true }),
  validationData: new data.DataLoader(testSet, { batchSize: 1000 }),
  epochs: Number(process.env.EPOCHS ?? 5),
  optimizer: new optim.RMSprop(model.parameters(), { lr: 1e-3 }),
  loss: new nn.CrossEntropyLoss(),
  metrics: ['accuracy'],
});

const { valAccuracy } = history.history;
console.log(`test accuracy: ${(100 * valAccuracy[valAccuracy.length - 1]).toFixed(2)}%`);
