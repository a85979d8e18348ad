import type { DType } from '../backend/storage';

export type { DType } from '../backend/storage';
export { allocate } from '../backend/storage';

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export function checkDType(dtype: unknown, fn: string): DType {
  if (DTYPES.includes(dtype as DType)) return dtype as DType;
  throw new TypeError(`${fn}: dtype must be one of ${DTYPES.map((d) => `'${d}'`).join(', ')}, got ${String(dtype)}`);
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2 };

/** The dtype of a result from two operands, ranked as torch.result_type ranks them. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}
