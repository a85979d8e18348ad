/** tg.io: safetensors files and training checkpoints. */
export { save } from './save';
export { load, loadMetadata } from './load';
export { SafetensorsError } from './errors';
export type { SafetensorsDType } from './dtypes';
