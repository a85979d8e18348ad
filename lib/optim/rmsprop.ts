/** torch.optim.RMSprop: steps scaled by a running average of squared gradients. */
import { cpu } from '../backend/cpu';
import { zerosLike } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { checkEps, checkFlags, checkLr, checkNonNegative } from './check-options';
import { Optimizer, withDefaults, type ParamGroup, type Params } from './optimizer';
import type { StateSpec } from './param-state';

export interface RMSpropOptions {
  /** Default 1e-2. */
  lr: number;
  /** Smoothing constant of the running average; default 0.99. */
  alpha: number;
  /** Default 1e-8. */
  eps: number;
  /** Default 0. */
  weightDecay: number;
  /** Default 0. */
  momentum: number;
  /** Normalise by the estimated variance of the gradient; default false. */
  centered: boolean;
  /** Ascend instead of descend; default false. */
  maximize: boolean;
}

export interface RMSpropState {
  step: number;
  squareAvg: Tensor;
  /** With momentum > 0 only. */
  momentumBuffer?: Tensor;
  /** With centered only. */
  gradAvg?: Tensor;
}

const defaults: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

export class RMSprop extends Optimizer<RMSpropOptions, RMSpropState> {
  constructor(params: Params<RMSpropOptions>, options?: Partial<RMSpropOptions>) {
    super(params, withDefaults('RMSprop', defaults, options));
  }

  protected checkOptions(o: RMSpropOptions): void {
    checkLr(o.lr, 'RMSprop');
    checkEps(o.eps, 'RMSprop');
    checkNonNegative(o.momentum, 'momentum', 'RMSprop');
    checkNonNegative(o.weightDecay, 'weightDecay', 'RMSprop');
    checkNonNegative(o.alpha, 'alpha', 'RMSprop');
    checkFlags(o, ['centered', 'maximize'], 'RMSprop');
  }

  protected stateSpec(): StateSpec {
    return { step: 'count', squareAvg: 'tensor', momentumBuffer: 'optional tensor', gradAvg: 'optional tensor' };
  }

  protected initState(param: Tensor): RMSpropState {
    return { step: 0, squareAvg: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, state: RMSpropState, g: ParamGroup<RMSpropOptions>): void {
    // Buffers an option asks for start at zero, also when the option is switched on later.
    if (g.momentum > 0) state.momentumBuffer ??= zerosLike(param);
    if (g.centered) state.gradAvg ??= zerosLike(param);
    state.step += 1;
    cpu.kernels.rmspropStep(
      param._data as Float32Array,
      grad._data as Float32Array,
      state.squareAvg._data as Float32Array,
      g.centered ? ((state.gradAvg as Tensor)._data as Float32Array) : null,
      g.momentum > 0 ? ((state.momentumBuffer as Tensor)._data as Float32Array) : null,
      g.lr,
      g.alpha,
      g.eps,
      g.weightDecay,
      g.momentum,
      g.centered,
      g.maximize,
    );
  }
}
