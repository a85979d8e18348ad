/**
 * The backward pass: the graph's nodes in reverse topological order, each gradient summed from
 * every use before its node runs, leaves' gradients accumulated into .grad.
 */
import { add } from '../ops/binary';
import { clone } from '../ops/clone';
import { cpu } from '../backend/cpu';
import { BinaryOpCode } from '../backend/addon-types';
import { onesLike } from '../tensor/create';
import { sameShape, shapeStr } from '../tensor/shape';
import { Storage, Tensor } from '../tensor/tensor';
import { enableGrad, noGrad } from './grad-mode';
import { LeafEdge, Node, edgeOf, type Edge } from './node';

export interface BackwardOptions {
  /** Keep the graph's saved tensors for another backward (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients (default false). */
  createGraph?: boolean;
}

export interface GradOptions extends BackwardOptions {
  /** Return null for inputs the outputs do not depend on, instead of throwing (default false). */
  allowUnused?: boolean;
}

/** Nodes reachable from the roots, each after every node that feeds it a gradient. */
function topologicalOrder(roots: readonly Edge[]): Node[] {
  const post: Node[] = [];
  const seen = new Set<Node>();
  const stack: [Node, number][] = [];
  for (const r of roots) {
    if (!(r instanceof Node) || seen.has(r)) continue;
    seen.add(r);
    stack.push([r, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, i] = top;
      if (i < node.next.length) {
        top[1] = i + 1;
        const child = node.next[i];
        if (child instanceof Node && !seen.has(child)) {
          seen.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        post.push(node);
      }
    }
  }
  return post.reverse();
}

function sum(prev: Tensor | undefined, g: Tensor): Tensor {
  return prev ? add(prev, g) : g;
}

interface PassResult {
  /** The gradient reaching each leaf. */
  leaves: Map<LeafEdge, Tensor>;
  /** The gradient reaching each node in `capture` (the gradient of the tensor it made). */
  captured: Map<Node, Tensor>;
}

/** Runs the pass from the roots. */
function run(roots: readonly Edge[], rootGrads: readonly Tensor[], opts: BackwardOptions, capture = new Set<Node>()): PassResult {
  const retain = opts.retainGraph ?? opts.createGraph ?? false;
  const grads = new Map<Edge, Tensor>();
  const result: PassResult = { leaves: new Map(), captured: new Map() };
  roots.forEach((r, i) => grads.set(r, sum(grads.get(r), rootGrads[i])));
  const pass = () => {
    for (const node of topologicalOrder(roots)) {
      const g = grads.get(node);
      if (!g) continue;
      grads.delete(node);
      if (capture.has(node)) result.captured.set(node, g);
      if (node.retainedBy) node.retainedBy.grad = node.retainedBy.grad ? add(node.retainedBy.grad, g) : g;
      const inputGrads = node.apply(g);
      if (!retain) node.release();
      node.next.forEach((edge, i) => {
        const ig = inputGrads[i];
        if (edge && ig) grads.set(edge, sum(grads.get(edge), ig));
      });
    }
  };
  if (opts.createGraph) enableGrad(pass);
  else noGrad(pass);
  for (const [edge, g] of grads) if (edge instanceof LeafEdge) result.leaves.set(edge, g);
  return result;
}

/** Gradient tensors for the roots: the given ones, checked, or ones for scalar outputs. */
function rootGradients(tensors: readonly Tensor[], given: readonly (Tensor | null | undefined)[], fn: string): Tensor[] {
  return tensors.map((t, i) => {
    if (!t.requiresGrad) {
      throw new Error(`${fn}: element ${i} of tensors does not require grad and does not have a gradFn`);
    }
    const g = given[i];
    if (g) {
      if (!sameShape(g.shape, t.shape)) {
        throw new RangeError(`${fn}: Mismatch in shape: grad_output[${i}] has a shape of ${shapeStr(g.shape)} and output[${i}] has a shape of ${shapeStr(t.shape)}`);
      }
      return g;
    }
    if (t.numel() !== 1) throw new Error(`${fn}: grad can be implicitly created only for scalar outputs (got shape ${shapeStr(t.shape)})`);
    return onesLike(t);
  });
}

/**
 * Sums the gradients of `tensors` (weighted by `grads`, or 1 for scalars) into the .grad of every
 * leaf that requires grad. A leaf's first gradient is stored as is when this pass made it and
 * nothing else holds it; later ones are added in place.
 */
export function backward(tensors: readonly Tensor[], grads: readonly (Tensor | null | undefined)[] = [], opts: BackwardOptions = {}): void {
  const firstFresh = Storage.lastId() + 1;
  const { leaves } = run(tensors.map((t) => edgeOf(t)), rootGradients(tensors, grads, 'backward'), opts);
  const handedOut = new Set<Storage>();
  for (const [edge, g] of leaves) {
    const leaf = edge.variable;
    if (opts.createGraph) {
      leaf.grad = leaf.grad ? add(leaf.grad, g) : g;
    } else if (leaf.grad) {
      addInPlace(leaf.grad, g);
    } else {
      const owned = g._storage.id >= firstFresh && !handedOut.has(g._storage);
      leaf.grad = owned ? g : noGrad(() => clone(g));
      handedOut.add(leaf.grad._storage);
    }
  }
}

function addInPlace(dst: Tensor, src: Tensor): void {
  if (sameShape(dst.shape, src.shape)) {
    cpu.kernels.binaryFlat(BinaryOpCode.add, dst._data as Float32Array, src._data as Float32Array, dst._data as Float32Array);
  } else {
    cpu.kernels.binary(BinaryOpCode.add, dst._data as Float32Array, dst.shape, src._data as Float32Array, src.shape, dst._data as Float32Array, dst.shape);
  }
  dst._storage.version++;
}

/** The gradients of `outputs` with respect to `inputs`, without touching any .grad. */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  gradOutputs: readonly (Tensor | null | undefined)[] = [],
  opts: GradOptions = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const ins = inputs instanceof Tensor ? [inputs] : inputs;
  const watched = ins.map((t, i) => {
    if (!t.requiresGrad) throw new Error(`grad: input ${i} does not require grad`);
    return edgeOf(t);
  });
  const capture = new Set(watched.filter((e): e is Node => e instanceof Node));
  const { leaves, captured } = run(outs.map((t) => edgeOf(t)), rootGradients(outs, gradOutputs, 'grad'), opts, capture);
  return watched.map((e, i) => {
    const g = e instanceof Node ? captured.get(e) : leaves.get(e as LeafEdge);
    if (g) return g;
    if (opts.allowUnused) return null;
    throw new Error(`grad: One of the differentiated Tensors (input ${i}) appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.`);
  });
}
