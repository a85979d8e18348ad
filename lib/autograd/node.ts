/**
 * The autograd graph: each tensor made by a recorded op points at a Node, which knows the op's
 * backward and where the gradients of its inputs go (the nodes that made them, or the leaves).
 */
import { sameShape, shapeStr, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';

/** Where one input's gradient goes: the node that made it, or the leaf it accumulates into. */
export type Edge = Node | LeafEdge | null;

/** Accumulates gradients into a leaf's .grad (PyTorch's AccumulateGrad). One per leaf. */
export class LeafEdge {
  constructor(readonly variable: Tensor) {}
}

const leafEdges = new WeakMap<Tensor, LeafEdge>();

export function edgeOf(t: Tensor): Edge {
  if (!t.requiresGrad) return null;
  if (t.gradFn) return t.gradFn;
  let e = leafEdges.get(t);
  if (!e) {
    e = new LeafEdge(t);
    leafEdges.set(t, e);
  }
  return e;
}

/** Gradients of the op's inputs from the gradient of its output; null where none flows. */
export type BackwardFn = (grad: Tensor, saved: readonly Tensor[]) => readonly (Tensor | null)[];

export class Node {
  /** Set by retainGrad() on the tensor this node made, so backward stores its gradient there. */
  retainedBy: Tensor | null = null;
  readonly next: readonly Edge[];
  private saved: readonly Tensor[] | null;
  private readonly versions: readonly number[];
  private readonly inputShapes: readonly (Shape | null)[];

  constructor(
    readonly name: string,
    inputs: readonly (Tensor | null)[],
    private readonly fn: BackwardFn,
    saved: readonly Tensor[],
  ) {
    this.next = inputs.map((t) => (t ? edgeOf(t) : null));
    this.inputShapes = inputs.map((t) => (t ? t.shape : null));
    this.saved = saved;
    this.versions = saved.map((t) => t._version);
  }

  /** Runs the op's backward after checking that nothing it saved was modified in place. */
  apply(grad: Tensor): readonly (Tensor | null)[] {
    if (this.saved === null) {
      throw new Error(
        'Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). ' +
          'Saved intermediate values of the graph are freed when you call backward() or grad(). ' +
          'Pass { retainGraph: true } if you need to backward through the graph a second time.',
      );
    }
    this.saved.forEach((t, i) => {
      if (t._version !== this.versions[i]) {
        throw new Error(
          `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
            `[${t.dtype} tensor of shape ${shapeStr(t.shape)}], saved by ${this.name}, is at version ${t._version}; ` +
            `expected version ${this.versions[i]} instead. Use the out-of-place op, or clone() before modifying it.`,
        );
      }
    });
    const grads = this.fn(grad, this.saved);
    grads.forEach((g, i) => {
      const want = this.inputShapes[i];
      if (g && want && !sameShape(g.shape, want)) {
        throw new Error(`${this.name} returned a gradient of shape ${shapeStr(g.shape)} for input ${i}, expected ${shapeStr(want)}`);
      }
    });
    return grads;
  }

  /** Frees what the node saved; a later apply() explains that the graph was freed. */
  release(): void {
    if (this.saved && this.saved.length > 0) this.saved = null;
  }
}
