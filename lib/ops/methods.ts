/**
 * The op methods of Tensor (`a.add(b).relu().sum(1)`), added to its prototype here so that the
 * tensor module does not import the ops that import it. Names and argument orders are PyTorch's.
 */
import { Tensor } from '../tensor/tensor';
import { logSoftmax, softmax } from './activation';
import { add, div, mul, sub, type TensorLike } from './binary';
import { eq, ge, gt, isfinite, isnan, le, logicalAnd, logicalNot, logicalOr, logicalXor, lt, maximum, minimum, ne, where } from './compare';
import { clone } from './clone';
import { add_, clamp_, copy_, div_, fill_, mul_, sub_, zero_ } from './inplace';
import { gather, indexSelect, scatterAdd } from './indexing';
import { chunk, narrow, select, slice, split } from './join';
import { matmul, mm } from './matmul';
import { expand, mT, permute, t, transpose } from './permute';
import { amax, argmax, argmin, logsumexp, max, mean, min, norm, std, sum, variance, type Dims, type ValuesIndices, type VarianceOptions } from './reduce';
import { abs, clamp, erf, exp, expm1, log, log1p, neg, pow, reciprocal, relu, rsqrt, sigmoid, sign, sqrt, square, tanh } from './unary';
import { flatten, reshape, squeeze, unflatten, unsqueeze, view } from './view';

type Sizes = (number | readonly number[])[];

declare module '../tensor/tensor' {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    pow(exponent: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    neg(): Tensor;
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    expm1(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    erf(): Tensor;
    clamp(min?: number | null, max?: number | null): Tensor;
    relu(): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    isfinite(): Tensor;
    isnan(): Tensor;
    logicalNot(): Tensor;
    logicalAnd(other: Tensor): Tensor;
    logicalOr(other: Tensor): Tensor;
    logicalXor(other: Tensor): Tensor;
    /** self where cond is true, other elsewhere (Tensor.where). */
    where(cond: Tensor, other: TensorLike): Tensor;
    /** A copy with its own storage (differentiable). */
    clone(): Tensor;
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    sum(dim?: Dims, keepdim?: boolean): Tensor;
    mean(dim?: Dims, keepdim?: boolean): Tensor;
    max(): Tensor;
    max(dim: number, keepdim?: boolean): ValuesIndices;
    min(): Tensor;
    min(dim: number, keepdim?: boolean): ValuesIndices;
    amax(dim?: Dims, keepdim?: boolean): Tensor;
    argmax(dim?: number, keepdim?: boolean): Tensor;
    argmin(dim?: number, keepdim?: boolean): Tensor;
    var(dim?: Dims, options?: VarianceOptions): Tensor;
    std(dim?: Dims, options?: VarianceOptions): Tensor;
    logsumexp(dim: Dims, keepdim?: boolean): Tensor;
    norm(p?: number | 'fro', dim?: Dims, keepdim?: boolean): Tensor;
    reshape(...shape: Sizes): Tensor;
    view(...shape: Sizes): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    unflatten(dim: number, sizes: readonly number[]): Tensor;
    squeeze(dim?: number | readonly number[]): Tensor;
    unsqueeze(dim: number): Tensor;
    permute(...dims: Sizes): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    t(): Tensor;
    /** The transpose of a matrix; all dims reversed for other ranks. */
    readonly T: Tensor;
    /** The last two dims swapped. */
    readonly mT: Tensor;
    expand(...sizes: Sizes): Tensor;
    expandAs(other: Tensor): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    select(dim: number, index: number): Tensor;
    split(sizeOrSections: number | readonly number[], dim?: number): Tensor[];
    chunk(chunks: number, dim?: number): Tensor[];
    indexSelect(dim: number, index: Tensor): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    add_(other: TensorLike, alpha?: number): Tensor;
    sub_(other: TensorLike, alpha?: number): Tensor;
    mul_(other: TensorLike): Tensor;
    div_(other: TensorLike): Tensor;
    clamp_(min?: number | null, max?: number | null): Tensor;
    fill_(value: number): Tensor;
    zero_(): Tensor;
    copy_(src: Tensor): Tensor;
  }
}

type Method = (this: Tensor, ...args: never[]) => unknown;

const methods: Record<string, Method> = {
  add(other: TensorLike) { return add(this, other); },
  sub(other: TensorLike) { return sub(this, other); },
  mul(other: TensorLike) { return mul(this, other); },
  div(other: TensorLike) { return div(this, other); },
  pow(exponent: TensorLike) { return pow(this, exponent); },
  maximum(other: TensorLike) { return maximum(this, other); },
  minimum(other: TensorLike) { return minimum(this, other); },
  neg() { return neg(this); },
  exp() { return exp(this); },
  log() { return log(this); },
  log1p() { return log1p(this); },
  expm1() { return expm1(this); },
  sqrt() { return sqrt(this); },
  rsqrt() { return rsqrt(this); },
  abs() { return abs(this); },
  sign() { return sign(this); },
  square() { return square(this); },
  reciprocal() { return reciprocal(this); },
  erf() { return erf(this); },
  clamp(min?: number | null, max?: number | null) { return clamp(this, min, max); },
  relu() { return relu(this); },
  sigmoid() { return sigmoid(this); },
  tanh() { return tanh(this); },
  softmax(dim: number) { return softmax(this, dim); },
  logSoftmax(dim: number) { return logSoftmax(this, dim); },
  eq(other: TensorLike) { return eq(this, other); },
  ne(other: TensorLike) { return ne(this, other); },
  lt(other: TensorLike) { return lt(this, other); },
  le(other: TensorLike) { return le(this, other); },
  gt(other: TensorLike) { return gt(this, other); },
  ge(other: TensorLike) { return ge(this, other); },
  isfinite() { return isfinite(this); },
  isnan() { return isnan(this); },
  logicalNot() { return logicalNot(this); },
  logicalAnd(other: Tensor) { return logicalAnd(this, other); },
  logicalOr(other: Tensor) { return logicalOr(this, other); },
  logicalXor(other: Tensor) { return logicalXor(this, other); },
  where(cond: Tensor, other: TensorLike) { return where(cond, this, other); },
  clone() { return clone(this); },
  matmul(other: Tensor) { return matmul(this, other); },
  mm(other: Tensor) { return mm(this, other); },
  sum(dim?: Dims, keepdim?: boolean) { return sum(this, dim, keepdim); },
  mean(dim?: Dims, keepdim?: boolean) { return mean(this, dim, keepdim); },
  max(dim?: number, keepdim?: boolean) { return dim === undefined ? max(this) : max(this, dim, keepdim); },
  min(dim?: number, keepdim?: boolean) { return dim === undefined ? min(this) : min(this, dim, keepdim); },
  amax(dim?: Dims, keepdim?: boolean) { return amax(this, dim, keepdim); },
  argmax(dim?: number, keepdim?: boolean) { return argmax(this, dim, keepdim); },
  argmin(dim?: number, keepdim?: boolean) { return argmin(this, dim, keepdim); },
  var(dim?: Dims, options?: VarianceOptions) { return variance(this, dim, options); },
  std(dim?: Dims, options?: VarianceOptions) { return std(this, dim, options); },
  logsumexp(dim: Dims, keepdim?: boolean) { return logsumexp(this, dim, keepdim); },
  norm(p?: number | 'fro', dim?: Dims, keepdim?: boolean) { return norm(this, p, dim, keepdim); },
  reshape(...shape: Sizes) { return reshape(this, ...shape); },
  view(...shape: Sizes) { return view(this, ...shape); },
  flatten(startDim?: number, endDim?: number) { return flatten(this, startDim, endDim); },
  unflatten(dim: number, sizes: readonly number[]) { return unflatten(this, dim, sizes); },
  squeeze(dim?: number | readonly number[]) { return squeeze(this, dim); },
  unsqueeze(dim: number) { return unsqueeze(this, dim); },
  permute(...dims: Sizes) { return permute(this, ...dims); },
  transpose(dim0: number, dim1: number) { return transpose(this, dim0, dim1); },
  t() { return t(this); },
  expand(...sizes: Sizes) { return expand(this, ...sizes); },
  expandAs(other: Tensor) { return expand(this, other.shape); },
  narrow(dim: number, start: number, length: number) { return narrow(this, dim, start, length); },
  select(dim: number, index: number) { return select(this, dim, index); },
  split(sizeOrSections: number | readonly number[], dim?: number) { return split(this, sizeOrSections, dim); },
  chunk(chunks: number, dim?: number) { return chunk(this, chunks, dim); },
  indexSelect(dim: number, index: Tensor) { return indexSelect(this, dim, index); },
  gather(dim: number, index: Tensor) { return gather(this, dim, index); },
  scatterAdd(dim: number, index: Tensor, src: Tensor) { return scatterAdd(this, dim, index, src); },
  add_(other: TensorLike, alpha?: number) { return add_(this, other, alpha); },
  sub_(other: TensorLike, alpha?: number) { return sub_(this, other, alpha); },
  mul_(other: TensorLike) { return mul_(this, other); },
  div_(other: TensorLike) { return div_(this, other); },
  clamp_(min?: number | null, max?: number | null) { return clamp_(this, min, max); },
  fill_(value: number) { return fill_(this, value); },
  zero_() { return zero_(this); },
  copy_(src: Tensor) { return copy_(this, src); },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
Object.defineProperty(Tensor.prototype, 'T', {
  get(this: Tensor) {
    return this.ndim <= 2 ? t(this) : permute(this, [...this.shape.keys()].reverse());
  },
  configurable: true,
});
Object.defineProperty(Tensor.prototype, 'mT', {
  get(this: Tensor) {
    return mT(this);
  },
  configurable: true,
});
