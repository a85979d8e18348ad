/** torch.nn.functional's names for the functional ops, so that `F.relu(x)` reads as in PyTorch. */
export { relu, leakyRelu, elu, sigmoid, tanh, gelu, silu, softplus } from '../ops/unary';
export { softmax, logSoftmax } from '../ops/activation';
export { linear } from '../ops/matmul';
export { conv1d, conv2d } from '../ops/conv';
export { maxPool2d, maxPool2dWithIndices, avgPool2d, adaptiveAvgPool2d } from '../ops/pool';
export { dropout, dropout2d } from '../ops/random';
export { batchNorm } from '../ops/normalization';
export { pad } from '../ops/join';
export { oneHot } from '../ops/indexing';
export {
  mseLoss,
  l1Loss,
  crossEntropy,
  nllLoss,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
} from '../ops/loss';
