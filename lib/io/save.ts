/**
 * save(): tensors to a safetensors file, in the reference writer's layout (so the same tensors
 * give the same bytes as Hugging Face's safetensors.torch.save_file), written atomically.
 */
import { Tensor } from '../tensor/tensor';
import { writeAll, writeFileAtomic } from './atomic-write';
import { littleEndianBytes } from './bytes';
import { WRITTEN } from './dtypes';
import { SafetensorsError } from './errors';
import { encodeHeader, METADATA_KEY, type TensorEntry } from './header';

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v);

function checkArgs(tensors: unknown, file: unknown, metadata: unknown): void {
  if (typeof file !== 'string' || file === '') throw new TypeError(`save: the path must be a non-empty string, got ${describe(file)}`);
  const where = `save('${file}')`;
  if (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors) || tensors instanceof Tensor) {
    throw new TypeError(`${where}: expected an object of named tensors (a state dict), got ${describe(tensors)}`);
  }
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t instanceof Tensor)) throw new TypeError(`${where}: "${name}" is not a Tensor (got ${describe(t)})`);
    if (name === METADATA_KEY) throw new RangeError(`${where}: "${METADATA_KEY}" is reserved for the metadata and cannot name a tensor`);
  }
  if (metadata === undefined) return;
  if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) throw new TypeError(`${where}: metadata must be an object of strings, got ${describe(metadata)}`);
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new TypeError(`${where}: metadata values must be strings, but "${k}" is ${describe(v)} (JSON.stringify it)`);
  }
}

/** The reference writer's order: dtype (F32, then I32, then BOOL), then name by UTF-8 bytes. */
function fileOrder(tensors: Record<string, Tensor>): [string, Tensor][] {
  const keyed = Object.entries(tensors).map(([name, t]) => ({ name, t, bytes: Buffer.from(name, 'utf8') }));
  keyed.sort((a, b) => WRITTEN[b.t.dtype].order - WRITTEN[a.t.dtype].order || Buffer.compare(a.bytes, b.bytes));
  return keyed.map(({ name, t }) => [name, t]);
}

/**
 * Writes tensors (a state dict, say) to `file` in the safetensors format, with optional string
 * metadata in the header. The file is replaced atomically: it holds either the old content or the
 * whole new one, never a part, and nothing is left behind on failure.
 */
export function save(tensors: Record<string, Tensor>, file: string, metadata?: Record<string, string>): void {
  checkArgs(tensors, file, metadata);
  const ordered = fileOrder(tensors);
  let offset = 0;
  const entries: TensorEntry[] = ordered.map(([name, t]) => {
    const begin = offset;
    offset += t._data.byteLength;
    return { name, dtype: WRITTEN[t.dtype].name, shape: t.shape.slice(), begin, end: offset };
  });
  const header = encodeHeader(entries, metadata);
  try {
    writeFileAtomic(file, (fd) => {
      writeAll(fd, header);
      for (const [, t] of ordered) writeAll(fd, littleEndianBytes(t._data));
    });
  } catch (e) {
    throw new SafetensorsError(file, `could not be written: ${(e as Error).message}`, { cause: e });
  }
}
