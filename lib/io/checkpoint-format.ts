/**
 * The layout of a checkpoint: ONE safetensors file. Its tensors are the model's state dict under
 * "model." ("model.0.weight", "model.2.running_mean"), then the tensors of the optimizer's state
 * ("optimizer.state.0.exp_avg"), and of extra ("extra.<path>"). Its "__metadata__" strings are:
 *
 *   format           "tensorgrad.checkpoint"
 *   format_version   "1"
 *   epoch            epochs completed, e.g. "2": the initialEpoch that fit resumes from
 *   rng              JSON {"default": {seed, counter}, "generator"?: {seed, counter}}: tensorgrad's
 *                    default generator, and the one passed as generator (a DataLoader's)
 *   optimizer        JSON of optimizer.stateDict() (tensors as {"$tensor": name}); optional
 *   optimizer_class  its class name ("Adam"), checked on load
 *   scheduler        JSON of scheduler.stateDict(); scheduler_class its class name; optional
 *   history          JSON of History.toJSON(); optional
 *   extra            JSON of what the caller gave as extra; optional
 *
 * Numbers that are not finite are {"$float": "Infinity"} and the like (see state-json.ts).
 */
import type { Tensor } from '../tensor/tensor';
import type { GeneratorState } from '../tensor/random';
import type { HistoryJSON } from '../train/history';
import { decodeState, type CheckpointValue } from './state-json';

export const FORMAT = 'tensorgrad.checkpoint';
export const FORMAT_VERSION = '1';
export const MODEL_PREFIX = 'model.';

export interface RngState {
  default: GeneratorState;
  generator?: GeneratorState;
}

/** A checkpoint's metadata, parsed and with its tensors put back in place. */
export interface CheckpointSections {
  epoch: number;
  rng: RngState;
  optimizer?: { className: string; state: CheckpointValue };
  scheduler?: { className: string; state: CheckpointValue };
  history: HistoryJSON | null;
  extra: CheckpointValue | undefined;
}

/** Throws with the reason; loadCheckpoint adds the file's name. */
const fail = (detail: string): never => {
  throw new Error(detail);
};

function section(metadata: Record<string, string>, key: string, tensors: Record<string, Tensor>): CheckpointValue | undefined {
  if (!Object.prototype.hasOwnProperty.call(metadata, key)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(metadata[key]);
  } catch (e) {
    fail(`its "${key}" metadata is not valid JSON (${(e as Error).message})`);
  }
  return decodeState(json, tensors, key);
}

function isGeneratorState(v: unknown): v is GeneratorState {
  return v !== null && typeof v === 'object' && typeof (v as GeneratorState).seed === 'string' && typeof (v as GeneratorState).counter === 'number';
}

/** The sections of a checkpoint's metadata, checked for the format and each section's kind. */
export function parseSections(metadata: Record<string, string>, tensors: Record<string, Tensor>): CheckpointSections {
  if (metadata.format !== FORMAT) fail(`it is not a tensorgrad checkpoint (its metadata has no format "${FORMAT}"); a file of weights alone loads with tg.load`);
  if (metadata.format_version !== FORMAT_VERSION) fail(`its format_version is ${JSON.stringify(metadata.format_version)}; this tensorgrad reads version ${FORMAT_VERSION}`);
  const epoch = Number(metadata.epoch);
  if (!/^\d+$/.test(metadata.epoch ?? '') || !Number.isSafeInteger(epoch)) fail(`its epoch is ${JSON.stringify(metadata.epoch)}, not a count of epochs`);
  const rng = section(metadata, 'rng', tensors) as RngState | undefined;
  if (!rng || !isGeneratorState(rng.default) || (rng.generator !== undefined && !isGeneratorState(rng.generator))) fail('its "rng" metadata must hold generator states { seed, counter }');
  const history = section(metadata, 'history', tensors) as HistoryJSON | undefined;
  if (history !== undefined && (history === null || typeof history !== 'object' || !Array.isArray(history.epoch))) fail('its "history" metadata is not a History');
  const classed = (key: 'optimizer' | 'scheduler') => {
    const state = section(metadata, key, tensors);
    return state === undefined ? undefined : { className: metadata[`${key}_class`] ?? '?', state };
  };
  return { epoch, rng: rng as RngState, optimizer: classed('optimizer'), scheduler: classed('scheduler'), history: history ?? null, extra: section(metadata, 'extra', tensors) };
}
