/** Learning-rate schedulers, as torch.optim.lr_scheduler (tg.optim.lrScheduler). */
export { LRScheduler, type SchedulerOptions, type SchedulerStateDict, type SchedulerStateValue } from './scheduler';
export { StepLR, type StepLROptions } from './step-lr';
export { MultiStepLR, type MultiStepLROptions } from './multi-step-lr';
export { ExponentialLR, type ExponentialLROptions } from './exponential-lr';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './cosine-annealing-lr';
export { LinearLR, type LinearLROptions } from './linear-lr';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './reduce-lr-on-plateau';
