import { indexSelect } from '../ops/indexing';
import { mul } from '../ops/binary';
import { ne } from '../ops/compare';
import { reshape, unsqueeze } from '../ops/view';
import { zeros } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { normal_ } from './init';
import { Module } from './module';
import { Parameter } from './parameter';

/** A lookup table of numEmbeddings vectors of size embeddingDim, initialised N(0, 1). */
export class Embedding extends Module {
  weight: Parameter;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    readonly paddingIdx: number | null = null,
  ) {
    super();
    if (paddingIdx !== null && (paddingIdx < -numEmbeddings || paddingIdx >= numEmbeddings)) {
      throw new RangeError(`Embedding: paddingIdx must be within num_embeddings (${numEmbeddings}), got ${paddingIdx}`);
    }
    if (paddingIdx !== null && paddingIdx < 0) this.paddingIdx = paddingIdx + numEmbeddings;
    this.weight = new Parameter(zeros(numEmbeddings, embeddingDim));
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      (this.weight._data as Float32Array).fill(0, row * embeddingDim, (row + 1) * embeddingDim);
    }
  }

  /** The rows for int32 indices of any shape: out shape [...indices.shape, embeddingDim]. */
  forward(indices: Tensor): Tensor {
    const flat = reshape(indices, -1);
    let out = indexSelect(this.weight, 0, flat);
    // The padding row gets no gradient: its outputs are multiplied by zero.
    if (this.paddingIdx !== null) out = mul(out, unsqueeze(ne(flat, this.paddingIdx).float(), 1));
    return reshape(out, [...indices.shape, this.embeddingDim]);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx !== null ? `, padding_idx=${this.paddingIdx}` : ''}`;
  }
}
