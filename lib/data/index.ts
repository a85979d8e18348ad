/** tg.data: datasets and the DataLoader (torch.utils.data). */
export { Dataset, IterableDataset } from './dataset';
export { TensorDataset } from './tensor-dataset';
export { Subset } from './subset';
export { ConcatDataset } from './concat-dataset';
export { randomSplit } from './random-split';
export { DataLoader, type DataLoaderOptions } from './dataloader';
export { defaultCollate, type Collated, type CollateFn } from './collate';
