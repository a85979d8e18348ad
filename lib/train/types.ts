import type { AnyModule } from '../nn/module';
import type { Tensor } from '../tensor/tensor';

/** A batch: inputs and targets. */
export type Batch = readonly [Tensor, Tensor] | readonly Tensor[];

/** Anything that yields batches, once per epoch: a DataLoader, an array, a generator function's result. */
export type BatchSource = Iterable<Batch> | AsyncIterable<Batch>;

/** What fit needs of an optimizer (every tg.optim optimizer is one). */
export interface OptimizerLike {
  zeroGrad(setToNone?: boolean): void;
  step(): unknown;
  paramGroups?: { lr: number }[];
}

export type LossFn = ((prediction: Tensor, target: Tensor) => Tensor) | AnyModule;

/** A metric: a name and the mean of a batch's value (weighted by batch size across the epoch). */
export type MetricFn = (prediction: Tensor, target: Tensor) => number;
export type Metric = 'accuracy' | { name: string; fn: MetricFn };

/** Values by name at the end of a batch or an epoch: loss, accuracy, valLoss, valAccuracy, lr. */
export type Logs = Record<string, number>;
