/** tg.nn: modules, layers, losses, initialisation, and torch.nn.functional's names. */
export { Module, type AnyModule, type ForwardHook, type HookHandle, type StateDict, type LoadResult } from './module';
export { Parameter } from './parameter';
export { Sequential, ModuleList } from './container';
export { Linear, Identity, Flatten, Unflatten } from './linear';
export { Conv2d, Conv1d, type ConvOptions } from './conv';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d } from './pool';
export { ReLU, LeakyReLU, ELU, Sigmoid, Tanh, GELU, SiLU, Softplus, Softmax, LogSoftmax } from './activation';
export { Dropout, Dropout2d } from './dropout';
export { BatchNorm, BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batchnorm';
export { Embedding } from './embedding';
export { MSELoss, L1Loss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss } from './loss';
export { summary, type SummaryOptions } from './summary';
export * as init from './init';
export * as functional from './functional';
export * as utils from './utils';
