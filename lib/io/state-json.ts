/**
 * The non-tensor parts of a checkpoint (optimizer and scheduler state, history, extra) as JSON
 * for the safetensors metadata. JSON has no Infinity or NaN (a ReduceLROnPlateau's best starts at
 * Infinity; a diverged loss is NaN) and no tensors, so both become tagged objects: a number that
 * is not finite is {"$float": "Infinity" | "-Infinity" | "NaN"}, and a tensor is stored as a
 * safetensors tensor and referenced as {"$tensor": "<its name in the file>"}.
 */
import { Tensor } from '../tensor/tensor';

/** What the state a checkpoint keeps may hold: JSON's values, any number, and tensors. */
export type CheckpointValue = number | string | boolean | null | Tensor | CheckpointValue[] | { [key: string]: CheckpointValue };

type Json = number | string | boolean | null | Json[] | { [key: string]: Json };

const TAGS = ['$tensor', '$float'];
const FLOATS: Record<string, number> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: NaN };

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? ((v as object).constructor?.name ?? 'object') : typeof v);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** A one-key object whose key is a tag: how encode marks what it replaced. */
function tagOf(v: Record<string, unknown>): string | null {
  const keys = Object.keys(v);
  return keys.length === 1 && TAGS.includes(keys[0]) ? keys[0] : null;
}

/**
 * value as JSON; its tensors go into `tensors` under `name` and the path below it
 * ('optimizer.state.0.exp_avg'). Undefined object fields are left out, as JSON.stringify does.
 */
export function encodeState(value: unknown, name: string, tensors: Record<string, Tensor>): Json {
  if (value instanceof Tensor) {
    if (Object.prototype.hasOwnProperty.call(tensors, name)) throw new RangeError(`two tensors of the checkpoint would be named "${name}"`);
    Object.defineProperty(tensors, name, { value, enumerable: true, writable: true, configurable: true });
    return { $tensor: name };
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $float: String(value) };
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      if (v === undefined) throw new TypeError(`${name}.${i} is undefined, which a checkpoint cannot keep in an array`);
      return encodeState(v, `${name}.${i}`, tensors);
    });
  }
  if (isPlainObject(value)) {
    if (tagOf(value)) throw new RangeError(`${name} is an object whose only key is "${Object.keys(value)[0]}", which checkpoints reserve`);
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) Object.defineProperty(out, k, { value: encodeState(v, `${name}.${k}`, tensors), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  throw new TypeError(`${name} is ${kind(value)}, which a checkpoint cannot keep (numbers, strings, booleans, null, arrays, plain objects and Tensors only)`);
}

/** The value encodeState gave JSON for, with its tensors taken from `tensors`. */
export function decodeState(json: unknown, tensors: Record<string, Tensor>, where: string): CheckpointValue {
  if (Array.isArray(json)) return json.map((v, i) => decodeState(v, tensors, `${where}.${i}`));
  if (!isPlainObject(json)) return json as CheckpointValue;
  const tag = tagOf(json);
  if (tag === '$tensor') {
    const name = json.$tensor;
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(tensors, name)) throw new RangeError(`${where} refers to tensor ${JSON.stringify(name)}, which the file does not hold`);
    return tensors[name];
  }
  if (tag === '$float') {
    const text = json.$float;
    if (typeof text !== 'string' || !Object.prototype.hasOwnProperty.call(FLOATS, text)) throw new RangeError(`${where} is {"$float": ${JSON.stringify(text)}}; expected "Infinity", "-Infinity" or "NaN"`);
    return FLOATS[text];
  }
  const out: Record<string, CheckpointValue> = {};
  for (const [k, v] of Object.entries(json)) Object.defineProperty(out, k, { value: decodeState(v, tensors, `${where}.${k}`), enumerable: true, writable: true, configurable: true });
  return out;
}
