/** Materialising strided views of contiguous tensors through the native strided copy. */
import { cpu } from '../backend/cpu';
import { allocOutput } from '../backend/storage';
import { numel, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d];
  }
  return strides;
}

/** A new contiguous tensor of `shape` holding x's elements at offset + i . strides. */
export function gatherView(x: Tensor, offset: number, strides: readonly number[], shape: Shape): Tensor {
  const out = allocOutput(x.dtype, numel(shape));
  cpu.kernels.stridedCopy(x._data, offset, strides, out, 0, contiguousStrides(shape), shape);
  return new Tensor(out, shape, x.dtype);
}

/** Writes src into dst's elements at offset + i . strides (dst is modified in place). */
export function scatterView(src: Tensor, dst: Tensor, offset: number, strides: readonly number[]): void {
  cpu.kernels.stridedCopy(src._data, 0, contiguousStrides(src.shape), dst._data, offset, strides, src.shape);
}
