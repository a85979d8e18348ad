import type { NativeAddon } from './addon-types';
import type { CpuData, DType } from './storage';

export type Device = 'cpu';

/** The kernel functions of the addon: everything but its runtime queries. */
export type Kernels = Omit<NativeAddon, 'buildInfo' | 'getNumThreads' | 'setNumThreads'>;

/**
 * What the tensor library needs from a device: storage and kernels. CPU storage is a JS-owned
 * typed array that the kernels read and write in place.
 */
export interface Backend {
  readonly device: Device;
  allocate(dtype: DType, numel: number): CpuData;
  readonly kernels: Kernels;
}
