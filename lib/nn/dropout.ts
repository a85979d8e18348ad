import { dropout, dropout2d } from '../ops/random';
import type { Tensor } from '../tensor/tensor';
import { Module } from './module';
import { pyNumber } from './repr';

/** Zeroes elements with probability p in training mode and scales the rest by 1 / (1 - p). */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout: dropout probability has to be between 0 and 1, but got ${p}`);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${pyNumber(this.p)}, inplace=false`;
  }
}

/** Zeroes whole channels of [N, C, H, W] inputs with probability p in training mode. */
export class Dropout2d extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p <= 1)) throw new RangeError(`Dropout2d: dropout probability has to be between 0 and 1, but got ${p}`);
  }

  forward(x: Tensor): Tensor {
    return dropout2d(x, this.p, this.training);
  }

  override extraRepr(): string {
    return `p=${pyNumber(this.p)}, inplace=false`;
  }
}
