/**
 * Gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_: in place on the
 * parameters' .grad, outside the graph.
 */
import { noGrad } from '../autograd/grad-mode';
import { clamp_, mul_ } from '../ops/inplace';
import { stack } from '../ops/join';
import { amax, norm } from '../ops/reduce';
import { tensor } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
import { describe } from './check-options';

/** The gradients of parameters (a tensor or an iterable of them) that have one. */
function gradsOf(parameters: Tensor | Iterable<Tensor>, fn: string): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${fn}: expected Tensors, got ${describe(p)} at position ${i}`);
  });
  // detach(): the gradients change in place outside any graph that made them (createGraph).
  return list.filter((p) => p.grad !== null).map((p) => (p.grad as Tensor).detach());
}

function checkNumber(value: unknown, name: string, fn: string): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${fn}: ${name} must be a number, got ${describe(value)}`);
}

/**
 * Scales the gradients so that their norm of order normType (2, 1, Infinity or any other p > 0),
 * taken over all of them together as one vector, is at most maxNorm: each is multiplied by
 * maxNorm / (total + 1e-6) when that is below 1. Returns the total norm before clipping (a
 * float32 scalar tensor; 0 when no parameter has a gradient). errorIfNonfinite: throw instead of
 * scaling by a NaN or infinite norm.
 */
export function clipGradNorm_(parameters: Tensor | Iterable<Tensor>, maxNorm: number, normType = 2, errorIfNonfinite = false): Tensor {
  const fn = 'clipGradNorm_';
  checkNumber(maxNorm, 'maxNorm', fn);
  checkNumber(normType, 'normType', fn);
  const grads = gradsOf(parameters, fn).filter((g) => g.numel() > 0);
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    const norms = stack(grads.map((g) => norm(g, normType)));
    const total = normType === Infinity ? amax(norms) : norm(norms, normType);
    const value = total.item();
    if (errorIfNonfinite && !Number.isFinite(value)) {
      throw new Error(
        `The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set \`errorIfNonfinite=false\``,
      );
    }
    // float32 arithmetic, as PyTorch's on the float32 norm; a NaN coefficient is applied too.
    const coef = Math.fround(maxNorm / Math.fround(value + 1e-6));
    if (!(coef >= 1)) for (const g of grads) mul_(g, coef);
    return total;
  });
}

/** Clamps every gradient into [-clipValue, clipValue], in place. */
export function clipGradValue_(parameters: Tensor | Iterable<Tensor>, clipValue: number): void {
  const fn = 'clipGradValue_';
  checkNumber(clipValue, 'clipValue', fn);
  const grads = gradsOf(parameters, fn);
  noGrad(() => grads.forEach((g) => clamp_(g, -clipValue, clipValue)));
}
