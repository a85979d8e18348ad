/** Reading and writing by index along a dim: indexSelect, gather, scatterAdd, oneHot. */
import { allocFloat32, allocOutput } from '../backend/storage';
import { needsGrad, record } from '../autograd/function';
import { cpu } from '../backend/cpu';
import { allocate } from '../tensor/dtype';
import { zeros } from '../tensor/create';
import { numel, shapeStr } from '../tensor/shape';
import { normalizeDim, Tensor } from '../tensor/tensor';

function checkIndex(index: Tensor, fn: string): Int32Array {
  if (!(index instanceof Tensor) || index.dtype !== 'int32') {
    throw new TypeError(`${fn}: index must be an int32 Tensor, got ${index instanceof Tensor ? index.dtype : typeof index}`);
  }
  return index._data as Int32Array;
}

/** The entries index[j] of x along dim (index 1-D). */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  const ids = checkIndex(index, 'indexSelect');
  if (index.ndim > 1) throw new RangeError(`indexSelect: index should have at most one dimension, got ${shapeStr(index.shape)}`);
  const d = normalizeDim(dim, x.ndim, 'indexSelect');
  const shape = x.shape.slice();
  shape[d] = ids.length;
  const out = allocOutput(x.dtype, numel(shape));
  cpu.kernels.indexSelect(x._data, x.shape, d, ids, out);
  const result = new Tensor(out, shape, x.dtype);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(result, 'IndexSelectBackward0', [x], (g, [idx]) => {
      const gx = zeros([...inShape]);
      cpu.kernels.indexAdd(gx._data as Float32Array, inShape, d, idx._data as Int32Array, g._data as Float32Array);
      return [gx];
    }, [index]);
  }
  return result;
}

/** torch.gather: out[i][j][k] = x[i][index[i][j][k]][k] for dim 1; index has x's other sizes. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const ids = checkIndex(index, 'gather');
  if (x.dtype !== 'float32') throw new TypeError(`gather: expected a float32 input, got ${x.dtype}`);
  const d = normalizeDim(dim, x.ndim, 'gather');
  const out = allocFloat32(ids.length);
  cpu.kernels.gather(x._data as Float32Array, x.shape, d, ids, index.shape, out);
  const result = new Tensor(out, index.shape);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(result, 'GatherBackward0', [x], (g, [idx]) => [scatterAdd(zeros([...inShape]), d, idx, g)], [index]);
  }
  return result;
}

/** A copy of x with src added at the positions index gives along dim (torch.scatter_add). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  const ids = checkIndex(index, 'scatterAdd');
  if (x.dtype !== 'float32' || src.dtype !== 'float32') throw new TypeError(`scatterAdd: expected float32 tensors, got ${x.dtype} and ${src.dtype}`);
  const d = normalizeDim(dim, x.ndim, 'scatterAdd');
  const out = x._data.slice() as Float32Array;
  cpu.kernels.scatterAdd(out, x.shape, d, ids, index.shape, src._data as Float32Array);
  const result = new Tensor(out, x.shape);
  if (needsGrad(x, src)) {
    record(result, 'ScatterAddBackward0', [x, src], (g, [idx]) => [g, gather(g, d, idx)], [index]);
  }
  return result;
}

/** int32 one-hot rows: out[..., c] = 1 where c == indices[...]; numClasses -1 infers max + 1. */
export function oneHot(indices: Tensor, numClasses = -1): Tensor {
  const ids = checkIndex(indices, 'oneHot');
  let classes = numClasses;
  if (classes === -1) classes = ids.reduce((m, v) => Math.max(m, v + 1), 0);
  if (!Number.isInteger(classes) || classes < 0) throw new RangeError(`oneHot: numClasses must be a non-negative integer or -1, got ${numClasses}`);
  const out = allocate('int32', ids.length * classes) as Int32Array;
  for (let i = 0; i < ids.length; i++) {
    const c = ids[i];
    if (c < 0 || c >= classes) throw new RangeError(`oneHot: Class values must be smaller than num_classes (${classes}) and non-negative, got ${c}`);
    out[i * classes + c] = 1;
  }
  return new Tensor(out, [...indices.shape, classes]);
}
