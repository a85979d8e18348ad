/** torch.optim.AdamW: Adam with decoupled weight decay (the parameter shrinks by lr * weightDecay). */
import { Adam, type AdamOptions } from './adam';
import { withDefaults, type Params } from './optimizer';

export type AdamWOptions = AdamOptions;

const defaults: AdamWOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false };

export class AdamW extends Adam {
  constructor(params: Params<AdamWOptions>, options?: Partial<AdamWOptions>) {
    super(params, withDefaults('AdamW', defaults, options));
  }

  protected override decoupledWeightDecay(): boolean {
    return true;
  }
}
