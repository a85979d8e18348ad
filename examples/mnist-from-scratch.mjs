// The from-scratch recipe with tensors and autograd only (no nn, no optim): 784-128-10 with ReLU,
// plain gradient steps at lr 0.05, batch 100, 10 epochs on the first 5,000 training images
// (normalised with MNIST's mean and std), tested on the first 1,000 test images.
// Run: node examples/mnist-from-scratch.mjs
import * as tg from 'tensorgrad';

tg.manualSeed(0);
const train = new tg.datasets.MNIST({ train: true });
const test = new tg.datasets.MNIST({ train: false });
const normalize = (images) => images.sub(0.1307).div(0.3081).reshape(-1, 784);
const x = normalize(train.data.narrow(0, 0, 5000));
const y = train.targets.narrow(0, 0, 5000);

const param = (...shape) => tg.randn(...shape).mul(Math.sqrt(2 / shape[1])).requiresGrad_();
const w1 = param(128, 784);
const b1 = tg.zeros(128).requiresGrad_();
const w2 = param(10, 128);
const b2 = tg.zeros(10).requiresGrad_();
const forward = (inputs) => tg.linear(tg.linear(inputs, w1, b1).relu(), w2, b2);

for (let epoch = 1; epoch <= 10; epoch++) {
  const order = tg.randperm(5000);
  let total = 0;
  for (let i = 0; i < 5000; i += 100) {
    const idx = order.narrow(0, i, 100);
    const loss = tg.crossEntropy(forward(x.indexSelect(0, idx)), y.indexSelect(0, idx));
    for (const p of [w1, b1, w2, b2]) p.grad = null;
    loss.backward();
    tg.noGrad(() => {
      for (const p of [w1, b1, w2, b2]) p.sub_(p.grad.mul(0.05));
    });
    total += loss.item();
  }
  console.log(`epoch ${epoch}: loss ${(total / 50).toFixed(4)}`);
}

const predictions = tg.noGrad(() => forward(normalize(test.data.narrow(0, 0, 1000))).argmax(1));
const accuracy = predictions.eq(test.targets.narrow(0, 0, 1000)).float().mean().item();
console.log(`test accuracy: ${(100 * accuracy).toFixed(2)}%`);
