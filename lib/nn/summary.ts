/**
 * A Keras-style table of a model: each leaf layer in the order it ran, its output shape and its
 * parameter count, then the totals. It runs one forward pass on zeros in eval mode.
 */
import { noGrad } from '../autograd/grad-mode';
import { zeros } from '../tensor/create';
import type { DType } from '../tensor/dtype';
import { Tensor } from '../tensor/tensor';
import type { AnyModule, HookHandle } from './module';


export interface SummaryOptions {
  /** The dtype of the made-up input (int32 for an Embedding first). */
  dtype?: DType;
  /** Batch size of the made-up input (2, so that batch statistics are defined). */
  batchSize?: number;
}

interface Row {
  name: string;
  type: string;
  shape: string;
  params: number;
}

function shapeOf(out: unknown): string {
  if (out instanceof Tensor) return `[-1, ${out.shape.slice(1).join(', ')}]`.replace(', ]', ']');
  if (Array.isArray(out)) return out.map(shapeOf).join(', ');
  return '?';
}

const count = (n: number) => n.toLocaleString('en-US');

/** The summary table of `model` for inputs of shape [batch, ...inputShape]. */
export function summary(model: AnyModule, inputShape: readonly number[], options: SummaryOptions = {}): string {
  const rows: Row[] = [];
  const handles: HookHandle[] = [];
  for (const [name, m] of model.namedModules()) {
    if (name === '' || m.children().length > 0) continue;
    handles.push(
      m.registerForwardHook((mod, _inputs, out) => {
        const params = mod.parameters(false).reduce((s, p) => s + p.numel(), 0);
        rows.push({ name, type: mod.constructor.name, shape: shapeOf(out), params });
      }),
    );
  }
  const wasTraining = model.modules().map((m) => m.training);
  model.eval();
  try {
    const run = model as unknown as (x: Tensor) => unknown;
    noGrad(() => run(zeros([options.batchSize ?? 2, ...inputShape], { dtype: options.dtype ?? 'float32' })));
  } finally {
    handles.forEach((h) => h.remove());
    model.modules().forEach((m, i) => (m.training = wasTraining[i]));
  }
  const all = model.parameters();
  const total = all.reduce((s, p) => s + p.numel(), 0);
  const trainable = all.filter((p) => p.requiresGrad).reduce((s, p) => s + p.numel(), 0);
  const widths = [30, 26, 12];
  const line = (cells: string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('');
  const rule = (ch: string) => ch.repeat(widths.reduce((a, b) => a + b, 0));
  return [
    `Model: "${model.constructor.name}"`,
    rule('_'),
    line(['Layer (type)', 'Output Shape', 'Param #']),
    rule('='),
    ...rows.map((r) => line([`${r.name} (${r.type})`, r.shape, count(r.params)])),
    rule('='),
    `Total params: ${count(total)}`,
    `Trainable params: ${count(trainable)}`,
    `Non-trainable params: ${count(total - trainable)}`,
    rule('_'),
  ].join('\n');
}
