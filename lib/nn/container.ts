import type { Tensor } from '../tensor/tensor';
import { ReLU } from './activation';
import { Module, type AnyModule } from './module';

/** A layer whose kernel can apply a following ReLU in its own output pass (Linear, Conv2d). */
export interface ReluFusable {
  /** forward(x) with the ReLU applied, or null where this instance cannot fuse (a subclass, hooks). */
  forwardRelu(x: Tensor): Tensor | null;
}

function isPlainRelu(m: AnyModule | undefined): boolean {
  return m !== undefined && Object.getPrototypeOf(m) === ReLU.prototype && !m.hasForwardHooks();
}


/** Modules applied one after another; children are named '0', '1', ... */
export class Sequential extends Module<[Tensor], Tensor> {
  constructor(...modules: AnyModule[]) {
    super();
    modules.forEach((m, i) => this.append(m, i));
  }

  private append(m: AnyModule, i: number): void {
    if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
    (this as unknown as Record<string, AnyModule>)[String(i)] = m;
  }

  override get length(): number {
    return this.children().length;
  }

  /** The i-th module (negative counts from the end). */
  at(i: number): AnyModule {
    const list = this.children();
    const m = list[i < 0 ? i + list.length : i];
    if (!m) throw new RangeError(`Sequential: index ${i} is out of range for ${list.length} modules`);
    return m;
  }

  // A layer followed by a plain ReLU runs as one kernel: the ReLU costs no extra pass over memory.
  forward(x: Tensor): Tensor {
    const list = this.children();
    let out: unknown = x;
    for (let i = 0; i < list.length; i++) {
      const m = list[i] as unknown as Partial<ReluFusable> & ((x: unknown) => unknown);
      const fused = m.forwardRelu && isPlainRelu(list[i + 1]) ? m.forwardRelu(out as Tensor) : null;
      if (fused) i++;
      out = fused ?? m(out);
    }
    return out as Tensor;
  }
}

/** A list of modules registered as children (torch.nn.ModuleList); it has no forward of its own. */
export class ModuleList extends Module<never[], never> {
  constructor(modules: AnyModule[] = []) {
    super();
    modules.forEach((m) => this.push(m));
  }

  push(m: AnyModule): this {
    if (!(m instanceof Module)) throw new TypeError('ModuleList: only Modules can be added');
    (this as unknown as Record<string, AnyModule>)[String(this.children().length)] = m;
    return this;
  }

  override get length(): number {
    return this.children().length;
  }

  at(i: number): AnyModule {
    const m = this.children()[i < 0 ? i + this.length : i];
    if (!m) throw new RangeError(`ModuleList: index ${i} is out of range for ${this.length} modules`);
    return m;
  }

  [Symbol.iterator](): Iterator<AnyModule> {
    return this.children()[Symbol.iterator]();
  }

  forward(): never {
    throw new Error('ModuleList has no forward: call its modules');
  }
}
