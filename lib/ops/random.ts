/** Random ops on tensors: dropout, bernoulli, multinomial, randperm, all from a seeded generator. */
import { allocFloat32, allocInt32 } from '../backend/storage';
import { cpu } from '../backend/cpu';
import { defaultGenerator, rand, type Generator } from '../tensor/random';
import { Tensor } from '../tensor/tensor';
import { mul } from './binary';
import { lt } from './compare';

/**
 * Zeroes each element with probability p during training and scales the rest by 1 / (1 - p);
 * the identity when not training (torch.nn.functional.dropout).
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return x;
  const mask = allocFloat32(x.numel());
  if (p === 1) mask.fill(0);
  else {
    const k = generator.take(mask.length);
    cpu.kernels.randomBernoulli(mask, k.keyLo, k.keyHi, k.counter, 1 - p);
    const scale = 1 / (1 - p);
    for (let i = 0; i < mask.length; i++) mask[i] *= scale;
  }
  return mul(x, new Tensor(mask, x.shape));
}

/**
 * Zeroes whole channels with probability p during training (torch.nn.functional.dropout2d): x is
 * [N, C, H, W] (or [C, H, W]); each channel's mask value is shared by its H x W plane.
 */
export function dropout2d(x: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  if (x.ndim !== 3 && x.ndim !== 4) throw new RangeError(`dropout2d: expected a 3D or 4D input, got ${x.ndim}D`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout2d: dropout probability has to be between 0 and 1, but got ${p}`);
  if (!training || p === 0) return x;
  const maskShape = x.shape.map((n, d) => (d < x.ndim - 2 ? n : 1));
  const mask = dropout(new Tensor(allocFloat32(maskShape.reduce((a, b) => a * b, 1)).fill(1), maskShape), p, true, generator);
  return mul(x, mask);
}

/** 1 with the probability each element of `probs` gives, else 0 (float32). */
export function bernoulli(probs: Tensor, generator: Generator = defaultGenerator): Tensor {
  if (!(probs instanceof Tensor) || probs.dtype !== 'float32') throw new TypeError('bernoulli: expected a float32 Tensor of probabilities');
  const d = probs._data as Float32Array;
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] >= 0 && d[i] <= 1)) throw new RangeError(`bernoulli: Expected p_in >= 0 && p_in <= 1 to be true, but got ${d[i]} at ${i}`);
  }
  return lt(rand([...probs.shape], { generator }), probs).float();
}

/**
 * numSamples class indices per row of `probs` ([C] or [N, C], non-negative weights), drawn with
 * or without replacement (torch.multinomial), as int32.
 */
export function multinomial(probs: Tensor, numSamples: number, replacement = false, generator: Generator = defaultGenerator): Tensor {
  if (!(probs instanceof Tensor) || probs.dtype !== 'float32' || probs.ndim < 1 || probs.ndim > 2) {
    throw new TypeError('multinomial: prob_dist must be a 1 or 2 dim float32 Tensor');
  }
  const rows = probs.ndim === 1 ? 1 : probs.shape[0];
  const classes = probs.shape[probs.ndim - 1];
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new RangeError(`multinomial: cannot sample ${numSamples} (<= 0) samples`);
  if (!replacement && numSamples > classes) throw new RangeError('multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement');
  const p = probs._data as Float32Array;
  const out = allocInt32(rows * numSamples);
  const u = rand([rows * numSamples], { generator })._data as Float32Array;
  for (let r = 0; r < rows; r++) {
    const w = Array.from(p.subarray(r * classes, (r + 1) * classes));
    if (w.some((v) => !(v >= 0) || !Number.isFinite(v))) throw new RangeError('multinomial: probability tensor contains either inf, nan or element < 0');
    for (let s = 0; s < numSamples; s++) {
      const total = w.reduce((a, b) => a + b, 0);
      if (!(total > 0)) throw new RangeError('multinomial: invalid multinomial distribution (sum of probabilities <= 0)');
      let target = u[r * numSamples + s] * total;
      let c = 0;
      while (c < classes - 1 && (w[c] === 0 || target >= w[c])) {
        target -= w[c];
        c++;
      }
      while (w[c] === 0 && c > 0) c--;
      out[r * numSamples + s] = c;
      if (!replacement) w[c] = 0;
    }
  }
  return new Tensor(out, probs.ndim === 1 ? [numSamples] : [rows, numSamples]);
}

/** A random permutation of 0 .. n-1 (int32), by Fisher-Yates on 31-bit draws. */
export function randperm(n: number, generator: Generator = defaultGenerator): Tensor {
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) throw new RangeError(`randperm: n must be a non-negative integer, got ${n}`);
  const perm = allocInt32(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const bits = allocInt32(n);
  const k = generator.take(n);
  cpu.kernels.randomInt(bits, k.keyLo, k.keyHi, k.counter, 0, 2 ** 31);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((bits[i] * (i + 1)) / 2 ** 31);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return new Tensor(perm, [n]);
}
