// Every differentiable op, one line each: forward values and gradients against PyTorch (fixtures
// recorded by scripts/fixtures/op_fixtures.py), and gradients against finite differences.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { gradcheck } from './helpers/gradcheck';
import { expectClose } from './helpers/reference';

type T = tg.Tensor;
type Options = Record<string, never> & { [k: string]: number & string & number[] & boolean };
type OpFn = (x: T[], o: Options) => T;

const OPS: Record<string, OpFn> = {
  add_broadcast: ([a, b]) => tg.add(a, b),
  sub_broadcast: ([a, b]) => a.sub(b),
  mul_broadcast: ([a, b]) => tg.mul(a, b),
  div_broadcast: ([a, b]) => a.div(b),
  add_scalar: ([a]) => a.add(2.5),
  rsub_scalar: ([a]) => tg.sub(1.5, a),
  pow_tensor: ([a, b]) => tg.pow(a, b),
  pow_scalar: ([a], o) => a.pow(o.e),
  pow_int: ([a], o) => tg.pow(a, o.e),
  neg: ([a]) => a.neg(),
  exp: ([a]) => tg.exp(a),
  log: ([a]) => a.log(),
  log1p: ([a]) => tg.log1p(a),
  expm1: ([a]) => a.expm1(),
  sqrt: ([a]) => tg.sqrt(a),
  rsqrt: ([a]) => a.rsqrt(),
  abs: ([a]) => tg.abs(a),
  square: ([a]) => a.square(),
  reciprocal: ([a]) => tg.reciprocal(a),
  erf: ([a]) => a.erf(),
  clamp: ([a], o) => tg.clamp(a, o.min, o.max),
  clamp_min: ([a], o) => a.clamp(o.min),
  relu: ([a]) => a.relu(),
  leaky_relu: ([a], o) => tg.leakyRelu(a, o.slope),
  elu: ([a], o) => tg.elu(a, o.alpha),
  sigmoid: ([a]) => a.sigmoid(),
  tanh: ([a]) => tg.tanh(a),
  gelu: ([a]) => tg.gelu(a),
  gelu_tanh: ([a]) => tg.gelu(a, 'tanh'),
  silu: ([a]) => tg.silu(a),
  softplus: ([a], o) => tg.softplus(a, o.beta, o.threshold),
  softmax: ([a], o) => a.softmax(o.dim),
  softmax_dim0: ([a], o) => tg.softmax(a, o.dim),
  log_softmax: ([a], o) => a.logSoftmax(o.dim),
  maximum: ([a, b]) => tg.maximum(a, b),
  minimum: ([a, b]) => a.minimum(b),
  where: ([c, a, b]) => tg.where(c, a, b),
  matmul_2d: ([a, b]) => a.matmul(b),
  matmul_batched: ([a, b]) => tg.matmul(a, b),
  matmul_vec_mat: ([a, b]) => tg.matmul(a, b),
  matmul_mat_vec: ([a, b]) => tg.matmul(a, b),
  matmul_dot: ([a, b]) => tg.matmul(a, b),
  linear: ([x, w, b]) => tg.linear(x, w, b),
  linear_nobias: ([x, w]) => tg.linear(x, w),
  outer: ([a, b]) => tg.outer(a, b),
  transpose: ([a], o) => a.transpose(o.d0, o.d1),
  permute: ([a], o) => a.permute(o.dims),
  t: ([a]) => a.t(),
  expand: ([a], o) => a.expand(o.sizes),
  sum_all: ([a]) => a.sum(),
  sum_dims: ([a], o) => a.sum(o.dims, o.keepdim),
  sum_keepdim: ([a], o) => tg.sum(a, o.dims, o.keepdim),
  mean_dim: ([a], o) => a.mean(o.dim, o.keepdim),
  mean_all: ([a]) => tg.mean(a),
  max_dim: ([a], o) => a.max(o.dim, o.keepdim).values,
  min_dim: ([a], o) => tg.min(a, o.dim).values,
  max_all: ([a]) => a.max(),
  amax: ([a], o) => tg.amax(a, o.dims),
  var: ([a], o) => a.var(o.dim, { correction: o.correction }),
  var_pop_all: ([a], o) => tg.var(a, null, { correction: o.correction }),
  std: ([a], o) => a.std(o.dim),
  logsumexp: ([a], o) => a.logsumexp(o.dim),
  norm_2: ([a]) => a.norm(),
  norm_1_dim: ([a], o) => tg.norm(a, o.p, o.dim),
  norm_3: ([a], o) => a.norm(o.p),
  norm_inf: ([a]) => a.norm(Infinity),
  reshape: ([a], o) => a.reshape(o.shape),
  flatten: ([a], o) => a.flatten(o.start),
  unflatten: ([a], o) => a.unflatten(o.dim, o.sizes),
  squeeze: ([a]) => a.squeeze(),
  unsqueeze: ([a], o) => a.unsqueeze(o.dim),
  cat: ([a, b], o) => tg.cat([a, b], o.dim),
  stack: ([a, b], o) => tg.stack([a, b], o.dim),
  split_piece: ([a], o) => a.split(o.size, o.dim)[1],
  chunk_piece: ([a], o) => a.chunk(o.chunks, o.dim)[2],
  narrow: ([a], o) => a.narrow(o.dim, o.start, o.length),
  slice_step: ([a], o) => tg.slice(a, o.dim, o.start, undefined, o.step),
  select: ([a], o) => a.select(o.dim, o.index),
  index_select: ([a, i], o) => a.indexSelect(o.dim, i),
  gather: ([a, i], o) => a.gather(o.dim, i),
  scatter_add: ([a, i, s], o) => a.scatterAdd(o.dim, i, s),
  pad: ([a], o) => tg.pad(a, o.pad, 'constant', o.value),
  pad_crop: ([a], o) => tg.pad(a, o.pad),
  mse_loss: ([a, b]) => tg.mseLoss(a, b),
  l1_loss_sum: ([a, b], o) => tg.l1Loss(a, b, o.reduction as tg.Reduction),
  cross_entropy: ([x, t]) => tg.crossEntropy(x, t),
  cross_entropy_options: ([x, t, w], o) => tg.crossEntropy(x, t, { weight: w, ignoreIndex: o.ignoreIndex, labelSmoothing: o.labelSmoothing }),
  cross_entropy_none_3d: ([x, t], o) => tg.crossEntropy(x, t, { reduction: o.reduction as tg.Reduction }),
  cross_entropy_probs: ([x, t]) => tg.crossEntropy(x, t),
  nll_loss_sum: ([x, t], o) => tg.nllLoss(x, t, { reduction: o.reduction as tg.Reduction }),
  binary_cross_entropy: ([x, t]) => tg.binaryCrossEntropy(x, t),
  bce_with_logits: ([x, t, p]) => tg.binaryCrossEntropyWithLogits(x, t, { posWeight: p }),
};

interface Case {
  name: string;
  options: Options;
  inputs: { shape: number[]; dtype: 'float32' | 'int32' | 'bool'; values: number[]; requiresGrad: boolean }[];
  output: { shape: number[]; values: number[] };
  weight: number[];
  grads: (number[] | null)[];
}

const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'ops.json'), 'utf8')) as { cases: Case[] };

function makeInputs(c: Case): T[] {
  return c.inputs.map((s) => {
    const data = s.dtype === 'float32' ? Float32Array.from(s.values) : s.dtype === 'int32' ? Int32Array.from(s.values) : Uint8Array.from(s.values);
    const t = new tg.Tensor(data, s.shape, s.dtype);
    if (s.requiresGrad) t.requiresGrad_();
    return t;
  });
}

describe('ops against PyTorch', () => {
  it('every fixture has an op here and every op a fixture', () => {
    expect(fixture.cases.map((c) => c.name).sort()).toEqual(Object.keys(OPS).sort());
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const inputs = makeInputs(c);
      const out = OPS[c.name](inputs, c.options);
      expect(out.shape).toEqual(c.output.shape);
      expectClose(out.dataSync(), c.output.values, 1e-4, 1e-5);
      if (!c.grads.some((g) => g)) return;
      tg.sum(tg.mul(out, new tg.Tensor(Float32Array.from(c.weight), out.shape))).backward();
      c.grads.forEach((g, i) => {
        if (!g) return;
        expect(inputs[i].grad, `gradient of input ${i}`).not.toBeNull();
        expectClose(inputs[i].grad!.dataSync(), g, 1e-3, 1e-4);
      });
    });
  }
});

describe('ops against finite differences', () => {
  for (const c of fixture.cases) {
    if (!c.grads.some((g) => g)) continue;
    it(c.name, () => {
      const inputs = makeInputs(c);
      gradcheck((x) => OPS[c.name](x, c.options), inputs, Float64Array.from(c.weight));
    });
  }
});
