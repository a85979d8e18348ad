/** The models the CLI trains, written as a user would with tg.nn. */
import { Sequential } from '../nn/container';
import { Linear, Flatten } from '../nn/linear';
import { ReLU } from '../nn/activation';
import type { AnyModule } from '../nn/module';

export const MODEL_NAMES = ['mlp'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** The Keras MNIST recipe's network: 784-512-10 with ReLU. */
function mlp(): AnyModule {
  return new Sequential(new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 10)) as unknown as AnyModule;
}

export function buildModel(name: ModelName): AnyModule {
  switch (name) {
    case 'mlp':
      return mlp();
  }
}
