/** Optimizers, learning-rate schedulers and gradient clipping, as torch.optim (tg.optim). */
export {
  Optimizer,
  type OptimizerOptions,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type SavedParamGroup,
  type ScheduleKeys,
} from './optimizer';
export { SGD, type SGDOptions, type SGDState } from './sgd';
export { Adam, type AdamOptions, type AdamState } from './adam';
export { AdamW, type AdamWOptions } from './adamw';
export { RMSprop, type RMSpropOptions, type RMSpropState } from './rmsprop';
export { Adagrad, type AdagradOptions, type AdagradState } from './adagrad';
export { clipGradNorm_, clipGradValue_ } from './clip-grad';
export * as lrScheduler from './lr-scheduler';
