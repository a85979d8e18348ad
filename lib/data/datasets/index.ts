/** tg.datasets: ready-made datasets read from their published files (torchvision.datasets). */
export { MNIST, FashionMNIST, type MNISTOptions, type MNISTCreateOptions } from './mnist';
export type { Resource } from './download';
