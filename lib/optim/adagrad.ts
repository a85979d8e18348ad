/** torch.optim.Adagrad: steps scaled by the sum of all past squared gradients. */
import { cpu } from '../backend/cpu';
import { fullLike } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { checkEps, checkFlags, checkLr, checkNonNegative } from './check-options';
import { Optimizer, withDefaults, type ParamGroup, type ParamGroupInput, type Params } from './optimizer';
import type { StateSpec } from './param-state';

export interface AdagradOptions {
  /** Default 1e-2. */
  lr: number;
  /** The step size is lr / (1 + (step - 1) * lrDecay); default 0. */
  lrDecay: number;
  /** Default 0. */
  weightDecay: number;
  /** Where the sum of squares starts; default 0. */
  initialAccumulatorValue: number;
  /** Default 1e-10. */
  eps: number;
  /** Ascend instead of descend; default false. */
  maximize: boolean;
}

export interface AdagradState {
  step: number;
  sum: Tensor;
}

const defaults: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

export class Adagrad extends Optimizer<AdagradOptions, AdagradState> {
  constructor(params: Params<AdagradOptions>, options?: Partial<AdagradOptions>) {
    super(params, withDefaults('Adagrad', defaults, options));
  }

  /** As PyTorch, Adagrad's state exists from the start (so stateDict() has it before any step). */
  override addParamGroup(group: ParamGroupInput<AdagradOptions>): void {
    super.addParamGroup(group);
    const added = this.paramGroups[this.paramGroups.length - 1];
    for (const p of added.params) this.state.set(p, this.initState(p, added));
  }

  protected checkOptions(o: AdagradOptions): void {
    checkLr(o.lr, 'Adagrad');
    checkNonNegative(o.lrDecay, 'lrDecay', 'Adagrad');
    checkNonNegative(o.weightDecay, 'weightDecay', 'Adagrad');
    checkNonNegative(o.initialAccumulatorValue, 'initialAccumulatorValue', 'Adagrad');
    checkEps(o.eps, 'Adagrad');
    checkFlags(o, ['maximize'], 'Adagrad');
  }

  protected stateSpec(): StateSpec {
    return { step: 'count', sum: 'tensor' };
  }

  /** The group's initialAccumulatorValue (PyTorch takes the constructor's for every group). */
  protected initState(param: Tensor, g: ParamGroup<AdagradOptions>): AdagradState {
    return { step: 0, sum: fullLike(param, g.initialAccumulatorValue) };
  }

  protected update(param: Tensor, grad: Tensor, state: AdagradState, g: ParamGroup<AdagradOptions>): void {
    state.step += 1;
    cpu.kernels.adagradStep(param._data as Float32Array, grad._data as Float32Array, state.sum._data as Float32Array, state.step, g.lr, g.lrDecay, g.weightDecay, g.eps, g.maximize);
  }
}
