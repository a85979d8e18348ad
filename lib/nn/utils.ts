/** torch.nn.utils's names for gradient clipping (defined with the optimizers, in lib/optim). */
export { clipGradNorm_, clipGradValue_ } from '../optim/clip-grad';
