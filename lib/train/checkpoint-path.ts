/** A checkpoint file name from a template: Keras's "ckpt-{epoch:02d}-{valLoss:.3f}.safetensors". */
import type { Logs } from './types';

const FIELD = /\{(\w+)(?::([^}]*))?\}/g;

/** One value by a format spec: '' as it is, '0Nd' / 'Nd' an integer padded to N, '.Nf' fixed-point. */
function formatValue(value: number, spec: string | undefined, field: string): string {
  if (!spec) return String(value);
  const int = /^(0?)(\d+)d$/.exec(spec);
  if (int) return String(Math.round(value)).padStart(Number(int[2]), int[1] ? '0' : ' ');
  const fixed = /^\.(\d+)f$/.exec(spec);
  if (fixed) return value.toFixed(Number(fixed[1]));
  throw new RangeError(`ModelCheckpoint: the filepath's {${field}:${spec}} has a format it does not know (use {${field}}, {${field}:02d} or {${field}:.4f})`);
}

/** template with {epoch} (counting from 1, as Keras names files) and {<logged name>} filled in. */
export function checkpointPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(FIELD, (_all, field: string, spec: string | undefined) => {
    const value = field === 'epoch' ? epoch : logs[field];
    if (value === undefined) throw new RangeError(`ModelCheckpoint: the filepath names {${field}}, which is not logged (logged: epoch, ${Object.keys(logs).join(', ')})`);
    return formatValue(value, spec, field);
  });
}
