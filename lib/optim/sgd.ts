/** torch.optim.SGD: stochastic gradient descent with momentum, dampening, Nesterov and weight decay. */
import { cpu } from '../backend/cpu';
import { zerosLike } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { checkFinite, checkFlags, checkLr, checkNonNegative } from './check-options';
import { Optimizer, withDefaults, type ParamGroup, type Params } from './optimizer';
import type { StateSpec } from './param-state';

export interface SGDOptions {
  /** Default 1e-3 (PyTorch 2's; PyTorch 1.13 required it). */
  lr: number;
  /** Default 0 (plain SGD, and no state). */
  momentum: number;
  /** Default 0. */
  dampening: number;
  /** L2 penalty added to the gradient; default 0. */
  weightDecay: number;
  /** Default false; needs momentum > 0 and dampening 0. */
  nesterov: boolean;
  /** Ascend instead of descend; default false. */
  maximize: boolean;
}

export interface SGDState {
  /** Made at the first step with momentum != 0 (PyTorch 2 keeps no state without momentum). */
  momentumBuffer?: Tensor;
}

const defaults: SGDOptions = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

export class SGD extends Optimizer<SGDOptions, SGDState> {
  constructor(params: Params<SGDOptions>, options?: Partial<SGDOptions>) {
    super(params, withDefaults('SGD', defaults, options));
  }

  protected checkOptions(o: SGDOptions): void {
    checkLr(o.lr, 'SGD');
    checkNonNegative(o.momentum, 'momentum', 'SGD');
    checkFinite(o.dampening, 'dampening', 'SGD');
    checkNonNegative(o.weightDecay, 'weightDecay', 'SGD');
    checkFlags(o, ['nesterov', 'maximize'], 'SGD');
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new RangeError('Nesterov momentum requires a momentum and zero dampening');
  }

  protected stateSpec(): StateSpec {
    return { momentumBuffer: 'optional tensor' };
  }

  protected initState(): SGDState {
    return {};
  }

  protected update(param: Tensor, grad: Tensor, state: SGDState, g: ParamGroup<SGDOptions>): void {
    // The buffer starts as the first (decayed) gradient: the kernel fills it on firstStep.
    const firstStep = g.momentum !== 0 && !state.momentumBuffer;
    if (firstStep) state.momentumBuffer = zerosLike(param);
    const buf = g.momentum !== 0 ? (state.momentumBuffer as Tensor)._data : null;
    cpu.kernels.sgdStep(param._data as Float32Array, grad._data as Float32Array, buf as Float32Array | null, g.lr, g.momentum, g.dampening, g.weightDecay, g.nesterov, g.maximize, firstStep);
  }
}
