/** torch.optim.Adam (and, through AdamW, its decoupled-weight-decay variant). */
import { cpu } from '../backend/cpu';
import { zerosLike } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { checkBetas, checkEps, checkFlags, checkLr, checkNonNegative } from './check-options';
import { Optimizer, withDefaults, type ParamGroup, type Params } from './optimizer';
import type { StateSpec } from './param-state';

export interface AdamOptions {
  /** Default 1e-3. */
  lr: number;
  /** Decay rates of the running averages of the gradient and its square; default [0.9, 0.999]. */
  betas: [number, number];
  /** Default 1e-8. */
  eps: number;
  /** Default 0 for Adam (added to the gradient), 1e-2 for AdamW (decoupled). */
  weightDecay: number;
  /** The AMSGrad variant (the running max of expAvgSq); default false. */
  amsgrad: boolean;
  /** Ascend instead of descend; default false. */
  maximize: boolean;
}

export interface AdamState {
  /** Steps taken so far. */
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
  /** With amsgrad only. */
  maxExpAvgSq?: Tensor;
}

const defaults: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };

export class Adam extends Optimizer<AdamOptions, AdamState> {
  constructor(params: Params<AdamOptions>, options?: Partial<AdamOptions>) {
    super(params, withDefaults('Adam', defaults, options));
  }

  /** AdamW's decay multiplies the parameter by 1 - lr * weightDecay instead of adding to the gradient. */
  protected decoupledWeightDecay(): boolean {
    return false;
  }

  protected checkOptions(o: AdamOptions): void {
    checkLr(o.lr, this.owner);
    checkEps(o.eps, this.owner);
    checkBetas(o.betas, this.owner);
    checkNonNegative(o.weightDecay, 'weightDecay', this.owner);
    checkFlags(o, ['amsgrad', 'maximize'], this.owner);
  }

  protected stateSpec(): StateSpec {
    return { step: 'count', expAvg: 'tensor', expAvgSq: 'tensor', maxExpAvgSq: 'optional tensor' };
  }

  protected initState(param: Tensor, g: ParamGroup<AdamOptions>): AdamState {
    const state: AdamState = { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
    if (g.amsgrad) state.maxExpAvgSq = zerosLike(param);
    return state;
  }

  protected update(param: Tensor, grad: Tensor, state: AdamState, g: ParamGroup<AdamOptions>): void {
    // amsgrad switched on after the first step starts its running max from zero.
    if (g.amsgrad && !state.maxExpAvgSq) state.maxExpAvgSq = zerosLike(param);
    state.step += 1;
    const vmax = g.amsgrad ? ((state.maxExpAvgSq as Tensor)._data as Float32Array) : null;
    cpu.kernels.adamStep(
      param._data as Float32Array,
      grad._data as Float32Array,
      state.expAvg._data as Float32Array,
      state.expAvgSq._data as Float32Array,
      vmax,
      state.step,
      g.lr,
      g.betas[0],
      g.betas[1],
      g.eps,
      g.weightDecay,
      g.amsgrad,
      g.maximize,
      this.decoupledWeightDecay(),
    );
  }
}
