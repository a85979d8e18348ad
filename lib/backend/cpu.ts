import type { Backend } from './backend';
import { native } from './load';
import { allocate } from './storage';

export const cpu: Backend = {
  device: 'cpu',
  allocate,
  kernels: native,
};
