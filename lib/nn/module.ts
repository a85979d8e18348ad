/**
 * Module: parameters, buffers and submodules found on its own properties (in the order they were
 * assigned, as PyTorch registers them), train/eval mode, state dicts, and PyTorch's printed form.
 * A module is callable: model(x) runs forward(x) and the forward hooks.
 */
import { inspect } from 'node:util';
import { noGrad } from '../autograd/grad-mode';
import { copy_ } from '../ops/inplace';
import { sameShape, shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { Parameter } from './parameter';
import { summary, type SummaryOptions } from './summary';

/** Called after a forward pass with the module, its inputs and its output. */
export type ForwardHook = (module: AnyModule, inputs: readonly unknown[], output: unknown) => void;

/** Any module, whatever its inputs and output (a function type of never parameters accepts all). */
export type AnyModule = Module<never, unknown>;

export interface HookHandle {
  remove(): void;
}

export type StateDict = Record<string, Tensor>;

/**
 * The name a property has in parameter names and state dicts: PyTorch's snake_case, so that
 * runningMean is running_mean and a PyTorch state dict maps onto the model by name.
 */
export function stateName(property: string): string {
  return property.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const join = (prefix: string, name: string) => (prefix ? `${prefix}.${name}` : name);

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

// A module instance is a function, so that model(x) works; TypeScript learns the call signature
// from this interface, merged with the class below.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Module<In extends unknown[] = [Tensor], Out = Tensor> {
  (...inputs: In): Out;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** True in training mode (dropout active, batch norm using batch statistics). */
  declare training: boolean;
  declare private _bufferNames: Set<string>;
  declare private _nonPersistent: Set<string>;
  declare private _hooks: Map<number, ForwardHook>;

  constructor() {
    const self = ((...inputs: In) => self._call(inputs)) as unknown as Module<In, Out>;
    Object.setPrototypeOf(self, new.target.prototype);
    // A function's own name and length are read-only; modules may want those names.
    delete (self as unknown as { name?: string }).name;
    delete (self as unknown as { length?: number }).length;
    const hidden = (key: string, value: unknown) => Object.defineProperty(self, key, { value, writable: true, enumerable: false });
    hidden('training', true);
    hidden('_bufferNames', new Set<string>());
    hidden('_nonPersistent', new Set<string>());
    hidden('_hooks', new Map());
    return self;
  }

  abstract forward(...inputs: In): Out;

  private _call(inputs: In): Out {
    const out = this.forward(...inputs);
    for (const hook of this._hooks.values()) hook(this as unknown as AnyModule, inputs, out);
    return out;
  }

  /** Whether forward hooks are registered (a container may only fuse modules that have none). */
  hasForwardHooks(): boolean {
    return this._hooks.size > 0;
  }

  /** Calls hook(module, inputs, output) after every forward; returns a handle to remove it. */
  registerForwardHook(hook: ForwardHook): HookHandle {
    const id = nextHookId++;
    this._hooks.set(id, hook);
    return { remove: () => this._hooks.delete(id) };
  }

  /** Makes `tensor` a buffer (state that is not a parameter, e.g. running statistics). */
  registerBuffer(name: string, tensor: Tensor | null, persistent = true): void {
    if (name in this && !this._bufferNames.has(name)) throw new Error(`registerBuffer: attribute '${name}' already exists`);
    this._bufferNames.add(name);
    if (!persistent) this._nonPersistent.add(name);
    (this as unknown as Record<string, unknown>)[name] = tensor;
  }

  /** Submodules directly on this module, by name, in assignment order. */
  namedChildren(): [string, AnyModule][] {
    return Object.entries(this)
      .filter((e): e is [string, AnyModule] => e[1] instanceof Module)
      .map(([k, m]) => [stateName(k), m]);
  }

  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every module below it, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = [[prefix, this as unknown as AnyModule]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(join(prefix, name)));
    return out;
  }

  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** This module's own parameters (not its children's), by name. */
  private ownParameters(): [string, Parameter][] {
    return Object.entries(this)
      .filter((e): e is [string, Parameter] => e[1] instanceof Parameter)
      .map(([k, p]) => [stateName(k), p]);
  }

  /** This module's own buffers that are set, by name; persistent ones only when asked. */
  private ownBuffers(persistentOnly: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const key of this._bufferNames) {
      const t = (this as unknown as Record<string, Tensor | null>)[key];
      if (t && !(persistentOnly && this._nonPersistent.has(key))) out.push([stateName(key), t]);
    }
    return out;
  }

  /** Parameters with PyTorch's dotted names ('0.weight', 'fc1.bias'), each listed once. */
  namedParameters(prefix = '', recurse = true): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    const modules = recurse ? this.namedModules(prefix) : [[prefix, this] as const];
    for (const [at, m] of modules) {
      for (const [name, p] of (m as AnyModule).ownParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([join(at, name), p]);
      }
    }
    return out;
  }

  parameters(recurse = true): Parameter[] {
    return this.namedParameters('', recurse).map(([, p]) => p);
  }

  namedBuffers(prefix = ''): [string, Tensor][] {
    return this.namedModules(prefix).flatMap(([at, m]) => m.ownBuffers(false).map(([name, t]): [string, Tensor] => [join(at, name), t]));
  }

  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** Sets training mode here and below; returns this module. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: train(false). */
  eval(): this {
    return this.train(false);
  }

  /** Clears the gradients of every parameter (to null by default, as PyTorch 2 does). */
  zeroGrad(setToNone = true): void {
    for (const p of this.parameters()) {
      if (setToNone || !p.grad) p.grad = null;
      else noGrad(() => p.grad?.zero_());
    }
  }

  /** Calls fn on every module below and on this one (children first), as Module.apply does. */
  apply(fn: (module: AnyModule) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this as unknown as AnyModule);
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name, module by module (each module's parameters,
   * then its buffers), as PyTorch orders them; the tensors share this module's storage.
   */
  stateDict(): StateDict {
    const sd: StateDict = {};
    for (const [at, m] of this.namedModules()) {
      for (const [name, p] of m.ownParameters()) sd[join(at, name)] = p.detach();
      for (const [name, b] of m.ownBuffers(true)) sd[join(at, name)] = b.detach();
    }
    return sd;
  }

  /**
   * Copies a state dict into this module's parameters and buffers. With strict (the default),
   * missing and unexpected keys are errors, reported all at once in PyTorch's words; a shape
   * mismatch is always an error, and nothing is copied unless everything fits.
   */
  loadStateDict(stateDict: StateDict, options: { strict?: boolean } = {}): LoadResult {
    const strict = options.strict ?? true;
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !(k in stateDict));
    const unexpectedKeys = Object.keys(stateDict).filter((k) => !(k in own));
    const errors: string[] = [];
    if (strict && unexpectedKeys.length) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`);
    if (strict && missingKeys.length) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
    for (const [key, target] of Object.entries(own)) {
      const source = stateDict[key];
      if (!source) continue;
      if (!(source instanceof Tensor)) errors.push(`value for ${key} is not a Tensor`);
      else if (!sameShape(source.shape, target.shape)) {
        errors.push(`size mismatch for ${key}: copying a param with shape ${shapeStr(source.shape)} from checkpoint, the shape in current model is ${shapeStr(target.shape)}.`);
      }
    }
    if (errors.length) throw new Error(`Error(s) in loading state_dict for ${this.constructor.name}:\n\t${errors.join('\n\t')}`);
    noGrad(() => {
      for (const [key, target] of Object.entries(own)) if (stateDict[key]) copy_(target, stateDict[key]);
    });
    return { missingKeys, unexpectedKeys };
  }

  /** A Keras-style table: each layer's output shape and parameter count for inputs [N, ...inputShape]. */
  summary(inputShape: readonly number[], options?: SummaryOptions): string {
    return summary(this as unknown as AnyModule, inputShape, options);
  }

  /** The text between the parentheses of this module's printed form, e.g. in_features=784. */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's printed form: name(extra) with each child indented on its own line. */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines = this.namedChildren().map(([name, m]) => `(${name}): ${String(m).replace(/\n/g, '\n  ')}`);
    const lines = [...extraLines, ...childLines];
    let body = '';
    if (lines.length === 1 && childLines.length === 0) body = extraLines[0];
    else if (lines.length > 0) body = `\n  ${lines.join('\n  ')}\n`;
    return `${this.constructor.name}(${body})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

let nextHookId = 0;
