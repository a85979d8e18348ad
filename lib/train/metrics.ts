import { noGrad } from '../autograd/grad-mode';
import { argmax } from '../ops/reduce';
import { shapeStr } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import type { Metric, MetricFn } from './types';

/** The share of rows whose largest score is at the target class (int32 class indices). */
export function accuracy(prediction: Tensor, target: Tensor): number {
  if (target.dtype !== 'int32' || prediction.ndim < 1 || target.numel() !== prediction.numel() / (prediction.shape[prediction.ndim - 1] || 1)) {
    throw new RangeError(`accuracy: expected scores [N, C] and int32 class indices [N], got ${shapeStr(prediction.shape)} and ${target.dtype} ${shapeStr(target.shape)}`);
  }
  const predicted = noGrad(() => argmax(prediction, -1)).dataSync();
  const t = target.dataSync();
  let right = 0;
  for (let i = 0; i < t.length; i++) if (predicted[i] === t[i]) right++;
  return t.length ? right / t.length : 0;
}

export function metricName(m: Metric): string {
  return m === 'accuracy' ? 'accuracy' : m.name;
}

export function metricFn(m: Metric): MetricFn {
  if (m === 'accuracy') return accuracy;
  if (typeof m?.fn !== 'function' || typeof m.name !== 'string') throw new TypeError("metrics: each metric is 'accuracy' or { name, fn }");
  return m.fn;
}
