/** The models the CLI trains, written as a user would with tg.nn. */
import { ReLU } from '../nn/activation';
import { BatchNorm2d } from '../nn/batchnorm';
import { Sequential } from '../nn/container';
import { Conv2d } from '../nn/conv';
import { Dropout } from '../nn/dropout';
import { Flatten, Linear } from '../nn/linear';
import type { AnyModule } from '../nn/module';
import { MaxPool2d } from '../nn/pool';

export const MODEL_NAMES = ['mlp', 'cnn'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** The Keras MNIST recipe's network: 784-512-10 with ReLU. */
function mlp(): AnyModule {
  return new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 10)) as unknown as AnyModule;
}

/** A small modern CNN for 28x28 images: two blocks of 3x3 conv, batch norm, ReLU and pooling. */
function cnn(): AnyModule {
  const block = (cin: number, cout: number) => [new Conv2d(cin, cout, 3, { padding: 1, bias: false }), new BatchNorm2d(cout), new ReLU()];
  return new Sequential(
    ...block(1, 32),
    ...block(32, 32),
    new MaxPool2d(2),
    ...block(32, 64),
    ...block(64, 64),
    new MaxPool2d(2),
    new Flatten(),
    new Dropout(0.25),
    new Linear(64 * 7 * 7, 10),
  ) as unknown as AnyModule;
}

export function buildModel(name: ModelName): AnyModule {
  return name === 'cnn' ? cnn() : mlp();
}
