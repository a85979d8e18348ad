/** tg.train: the Keras-style loop (fit, evaluate, predict), callbacks, metrics and History. */
export { fit, evaluate, predict, type FitOptions, type EvaluateOptions } from './loop';
export { EarlyStopping, LearningRateScheduler, LambdaCallback, type Callback, type TrainContext, type EarlyStoppingOptions } from './callbacks';
export { History } from './history';
export { accuracy } from './metrics';
export type { Batch, BatchSource, Logs, LossFn, Metric, MetricFn, OptimizerLike } from './types';
