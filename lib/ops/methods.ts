/**
 * The op methods of Tensor (`a.add(b).mul(2)`), added to its prototype here so that the tensor
 * module does not import the ops that import it.
 */
import { Tensor } from '../tensor/tensor';
import { add, div, maximum, minimum, mul, sub, type TensorLike } from './binary';
import { matmul } from './matmul';

declare module '../tensor/tensor' {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike): Tensor;
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    matmul(other: Tensor): Tensor;
  }
}

const methods: Partial<Tensor> = {
  add(this: Tensor, other: TensorLike) {
    return add(this, other);
  },
  sub(this: Tensor, other: TensorLike) {
    return sub(this, other);
  },
  mul(this: Tensor, other: TensorLike) {
    return mul(this, other);
  },
  div(this: Tensor, other: TensorLike) {
    return div(this, other);
  },
  maximum(this: Tensor, other: TensorLike) {
    return maximum(this, other);
  },
  minimum(this: Tensor, other: TensorLike) {
    return minimum(this, other);
  },
  matmul(this: Tensor, other: Tensor) {
    return matmul(this, other);
  },
};

for (const [name, fn] of Object.entries(methods)) {
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true });
}
