// One hidden layer trained the PyTorch way, with an explicit loop: 784-128-10 with ReLU, Adam
// lr 1e-3, batch 64, 5 epochs. Run: node examples/mnist-mlp-pytorch-style.mjs
import * as tg from 'tensorgrad';

const { nn, optim, data, datasets, transforms } = tg;

class Net extends nn.Module {
  fc1 = new nn.Linear(784, 128);
  fc2 = new nn.Linear(128, 10);

  forward(x) {
    return this.fc2(this.fc1(x.flatten(1)).relu());
  }
}

tg.manualSeed(0);
const transform = transforms.normalize(0.1307, 0.3081);
const trainLoader = new data.DataLoader(new datasets.MNIST({ train: true, transform }), { batchSize: 64, shuffle: true });
const testLoader = new data.DataLoader(new datasets.MNIST({ train: false, transform }), { batchSize: 1000 });

const model = new Net();
const optimizer = new optim.Adam(model.parameters(), { lr: 1e-3 });
const lossFn = new nn.CrossEntropyLoss();

for (let epoch = 1; epoch <= Number(process.env.EPOCHS ?? 5); epoch++) {
  model.train();
  let total = 0;
  for (const [x, y] of trainLoader) {
    optimizer.zeroGrad();
    const loss = lossFn(model(x), y);
    loss.backward();
    optimizer.step();
    total += loss.item();
  }

  model.eval();
  let correct = 0;
  tg.noGrad(() => {
    for (const [x, y] of testLoader) correct += model(x).argmax(1).eq(y).sum().item();
  });
  console.log(`epoch ${epoch}: train loss ${(total / trainLoader.length).toFixed(4)}, test accuracy ${(100 * correct / testLoader.dataset.length).toFixed(2)}%`);
}
