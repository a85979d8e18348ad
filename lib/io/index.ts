/** tg.io: safetensors files and training checkpoints. */
export { save } from './save';
export { load, loadMetadata } from './load';
export { SafetensorsError } from './errors';
export type { SafetensorsDType } from './dtypes';
export { saveCheckpoint, loadCheckpoint, type Checkpoint, type CheckpointContents, type LoadCheckpointOptions, type SchedulerLike } from './checkpoint';
export type { CheckpointValue } from './state-json';
