/**
 * The base of the optimizers, as torch.optim.Optimizer: parameter groups with their own options,
 * per-parameter state, zeroGrad, step (one fused native update per parameter) and a stateDict in
 * PyTorch's layout. Subclasses say what their options and state are and how one parameter steps.
 */
import { enableGrad, noGrad } from '../autograd/grad-mode';
import { zero_ } from '../ops/inplace';
import { shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { describe } from './check-options';
import { bumpVersions, checkStateEntry, copyState, type StateSpec } from './param-state';

/** The options every optimizer has; each optimizer's options extend these. */
export interface OptimizerOptions {
  lr: number;
}

/** What learning-rate schedulers record in a group, as PyTorch's do (initial_lr, max_lr, ...). */
export interface ScheduleKeys {
  initialLr?: number;
  maxLr?: number;
  minLr?: number;
  maxMomentum?: number;
  baseMomentum?: number;
}

const scheduleKeys: readonly string[] = ['initialLr', 'maxLr', 'minLr', 'maxMomentum', 'baseMomentum'];

/** A parameter group: its tensors and its options, which may be changed between steps. */
export type ParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & ScheduleKeys & { params: Tensor[] };

/** A group as given to a constructor or addParamGroup: options left out take the defaults. */
export type ParamGroupInput<O extends OptimizerOptions = OptimizerOptions> = Partial<O> & ScheduleKeys & { params: Iterable<Tensor> | Tensor };

/** The parameters of an optimizer: tensors (one group), or groups with their own options. */
export type Params<O extends OptimizerOptions = OptimizerOptions> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** A group in a stateDict: its options, and its parameters as indices. */
export type SavedParamGroup<O extends OptimizerOptions = OptimizerOptions> = O & ScheduleKeys & { params: number[] };

/**
 * torch.optim's state_dict layout: `state` keyed by parameter index (counted across the groups
 * in order), `paramGroups` with `params` as those indices. Its tensors are copies.
 */
export interface OptimizerStateDict<O extends OptimizerOptions = OptimizerOptions, S extends object = object> {
  state: Record<number, S>;
  paramGroups: SavedParamGroup<O>[];
}

/** defaults overridden by options, after checking that options names no unknown key. */
export function withDefaults<O extends OptimizerOptions>(owner: string, defaults: O, options: Partial<O> | undefined): O {
  if (options === undefined) return { ...defaults };
  if (options === null || typeof options !== 'object' || options instanceof Tensor) throw new TypeError(`${owner}: options must be an object, got ${describe(options)}`);
  checkKeys(owner, options, Object.keys(defaults), 'option');
  return { ...defaults, ...options };
}

function checkKeys(owner: string, options: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new RangeError(`${owner}: unknown ${what} "${key}" (expected one of ${allowed.join(', ')})`);
  }
}

export abstract class Optimizer<O extends OptimizerOptions = OptimizerOptions, S extends object = object> {
  /** The options a group gets when it does not set them. */
  readonly defaults: Readonly<O>;
  /** The groups, whose options (lr above all) may be changed between steps, as schedulers do. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, running averages, step counts), made at the first step. */
  readonly state = new Map<Tensor, S>();

  constructor(params: Params<O>, defaults: O) {
    this.checkOptions(defaults);
    this.defaults = defaults;
    if (params instanceof Tensor || params === null || typeof (params as Partial<Iterable<unknown>>)?.[Symbol.iterator] !== 'function') {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or param groups, but got ${describe(params)}`);
    }
    const list: unknown[] = [...params];
    if (list.length === 0) throw new RangeError('optimizer got an empty parameter list');
    const groups = list[0] instanceof Tensor ? [{ params: list as Tensor[] }] : (list as ParamGroupInput<O>[]);
    for (const group of groups) this.addParamGroup(group as ParamGroupInput<O>);
  }

  /** The optimizer's name in messages (SGD, Adam, ...). */
  protected get owner(): string {
    return this.constructor.name;
  }

  /** Throws, in torch.optim's words, unless a group's options are valid. */
  protected abstract checkOptions(options: O): void;
  /** The per-parameter state this optimizer keeps, for checking loaded state. */
  protected abstract stateSpec(): StateSpec;
  /** A parameter's state before its first step. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;
  /** One fused native update of param and its state from grad (float32, param's shape). */
  protected abstract update(param: Tensor, grad: Tensor, state: S, group: ParamGroup<O>): void;

  /** Adds a group (for example layers unfrozen while fine-tuning); its options default to `defaults`. */
  addParamGroup(group: ParamGroupInput<O>): void {
    if (group === null || typeof group !== 'object' || group instanceof Tensor || !('params' in group)) {
      throw new TypeError(`${this.owner}: a param group must be an object with params, got ${describe(group)}`);
    }
    const { params: given, ...options } = group;
    const params = given instanceof Tensor ? [given] : [...(given ?? [])];
    params.forEach((p, i) => this.checkParam(p, i));
    if (new Set(params).size !== params.length) throw new RangeError(`${this.owner}: a parameter group contains the same parameter twice`);
    if (this.paramGroups.some((g) => g.params.some((p) => params.includes(p)))) throw new RangeError('some parameters appear in more than one parameter group');
    checkKeys(this.owner, options, [...Object.keys(this.defaults), ...scheduleKeys], 'option');
    const merged = { ...this.defaults, ...options } as O & ScheduleKeys;
    this.checkOptions(merged);
    this.paramGroups.push({ ...structuredClone(merged), params });
  }

  private checkParam(p: unknown, i: number): void {
    if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but parameter ${i} of the group is ${describe(p)}`);
    if (p.dtype !== 'float32') throw new TypeError(`${this.owner}: parameters must be float32 tensors, but parameter ${i} of the group is ${p.dtype}`);
    if (!p.isLeaf) throw new RangeError(`can't optimize a non-leaf Tensor (parameter ${i} of the group was made by ${p.gradFn?.name}; optimize the leaf it came from, or a detach()ed copy)`);
  }

  /**
   * Clears the gradients: sets them to null (the default, as PyTorch 2 does), or with
   * setToNone = false fills them with zeros, outside the graph.
   */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        if (setToNone) {
          p.grad = null;
        } else {
          const g = p.grad.gradFn ? p.grad.detach() : p.grad;
          g.requiresGrad = false;
          p.grad = noGrad(() => zero_(g));
        }
      }
    }
  }

  /**
   * Updates every parameter that has a gradient (those without one are skipped) by one fused
   * native step, without recording a graph. closure, when given, runs first with gradients on
   * (it typically zeroes the gradients, recomputes the loss and calls backward) and its value
   * is returned.
   */
  step<L = undefined>(closure?: () => L): L | undefined {
    let loss: L | undefined;
    if (closure !== undefined) {
      if (typeof closure !== 'function') throw new TypeError(`${this.owner}.step: closure must be a function, got ${describe(closure)}`);
      loss = enableGrad(closure);
      if (loss instanceof Promise) {
        throw new TypeError(`${this.owner}.step: the closure returned a Promise; pass a synchronous closure, or run backward() first and call step() without one`);
      }
    }
    noGrad(() => {
      let index = 0;
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad) this.stepParam(p, p.grad, group, index);
          index++;
        }
      }
    });
    return loss;
  }

  private stepParam(p: Tensor, grad: Tensor, group: ParamGroup<O>, index: number): void {
    if (!(grad instanceof Tensor) || grad.dtype !== 'float32') {
      throw new TypeError(`${this.owner}.step: the gradient of parameter ${index} must be a float32 Tensor, got ${grad instanceof Tensor ? grad.dtype : describe(grad)}`);
    }
    if (grad.shape.length !== p.shape.length || grad.shape.some((n, d) => n !== p.shape[d])) {
      throw new RangeError(`${this.owner}.step: the gradient of parameter ${index} has shape ${shapeStr(grad.shape)} but the parameter has shape ${shapeStr(p.shape)}`);
    }
    const state = this.state.get(p) ?? this.initState(p, group);
    this.update(p, grad, state, group);
    // Kept once it holds something (SGD without momentum keeps nothing, as in PyTorch 2).
    if (Object.keys(state).length > 0) this.state.set(p, state);
    // The kernel wrote the parameter and its buffers in place: autograd must see new versions.
    p._storage.version++;
    bumpVersions(state);
  }

  /** The state and the groups' options in PyTorch's layout (parameters as indices), as copies. */
  stateDict(): OptimizerStateDict<O, S> {
    const index = new Map<Tensor, number>();
    const indexOf = (p: Tensor): number => {
      if (!index.has(p)) index.set(p, index.size);
      return index.get(p) as number;
    };
    const paramGroups = this.paramGroups.map(({ params, ...options }) => ({ ...structuredClone(options), params: params.map(indexOf) }) as SavedParamGroup<O>);
    const state: Record<number, S> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = copyState(s);
    }
    return { state, paramGroups };
  }

  /**
   * Restores what stateDict() gave, onto this optimizer's parameters in order: the groups must
   * match in number and size, and every state buffer the parameter's shape. Copies the tensors;
   * replaces the groups' options (so lr, initialLr and the others come back too).
   */
  loadStateDict(stateDict: OptimizerStateDict<O, S>): void {
    const where = `${this.owner}.loadStateDict`;
    const sd = stateDict as Partial<OptimizerStateDict<O, S>> | null;
    if (sd === null || typeof sd !== 'object' || !Array.isArray(sd.paramGroups) || sd.state === null || typeof sd.state !== 'object') {
      throw new TypeError(`${where}: expected an object with state and paramGroups, got ${describe(sd)}`);
    }
    const saved = sd.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw new RangeError(`loaded state dict has a different number of parameter groups (${saved.length}, the optimizer has ${this.paramGroups.length})`);
    }
    saved.forEach((g, i) => this.checkSavedGroup(g, i));
    const byIndex = new Map<number, Tensor>();
    saved.forEach((g, i) => g.params.forEach((id, k) => byIndex.set(id, this.paramGroups[i].params[k])));
    const state = new Map<Tensor, S>();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      if (!p) throw new RangeError(`${where}: the state dict has state for parameter ${key}, which none of its paramGroups lists`);
      checkStateEntry(entry, this.stateSpec(), p, Number(key), this.owner);
      if (Object.keys(entry).length > 0) state.set(p, copyState(entry));
    }
    // Everything checked: only now change the optimizer, so that a failed load leaves it as it was.
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
    saved.forEach(({ params: _, ...options }, i) => replaceOptions(this.paramGroups[i], structuredClone(options)));
  }

  private checkSavedGroup(g: SavedParamGroup<O>, i: number): void {
    const where = `${this.owner}.loadStateDict: paramGroups[${i}]`;
    if (g === null || typeof g !== 'object' || !Array.isArray(g.params)) throw new TypeError(`${where} must be an object with params, got ${describe(g)}`);
    if (g.params.length !== this.paramGroups[i].params.length) {
      throw new RangeError(
        `loaded state dict contains a parameter group that doesn't match the size of optimizer's group (paramGroups[${i}] has ${g.params.length} parameters, the optimizer's ${this.paramGroups[i].params.length})`,
      );
    }
    const { params: _, ...options } = g;
    checkKeys(where, options, [...Object.keys(this.defaults), ...scheduleKeys], 'option');
    const missing = Object.keys(this.defaults).filter((k) => !(k in options));
    if (missing.length > 0) throw new RangeError(`${where} lacks "${missing.join('", "')}"`);
    this.checkOptions(options as unknown as O);
  }
}

/** Gives group exactly options' keys besides params (PyTorch replaces the group's dict). */
function replaceOptions(group: object, options: object): void {
  const target = group as Record<string, unknown>;
  for (const key of Object.keys(target)) if (key !== 'params' && !(key in options)) delete target[key];
  Object.assign(target, options);
}
