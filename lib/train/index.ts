/** tg.train: the Keras-style loop (fit, evaluate, predict), callbacks, metrics and History. */
export { fit, evaluate, predict, type FitOptions, type EvaluateOptions } from './loop';
export { EarlyStopping, LearningRateScheduler, LambdaCallback, type Callback, type TrainContext, type EarlyStoppingOptions } from './callbacks';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint';
export type { MonitorMode } from './monitor';
export { History, type HistoryJSON } from './history';
export { accuracy } from './metrics';
export type { Batch, BatchSource, Logs, LossFn, Metric, MetricFn, OptimizerLike } from './types';
