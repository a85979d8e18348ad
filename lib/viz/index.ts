/**
 * tg.viz: training curves, image grids and confusion matrices written to .svg or .png files, and
 * the text forms for the terminal. Drawing needs the optional packages named in MissingPackageError.
 */
export { plotHistory, type HistoryLike, type PlotHistoryOptions } from './history-plot';
export { imageGrid, type ImageGridOptions } from './image-grid';
export { predictionCaptions, type Caption } from './captions';
export { misclassified, type Misclassified } from './misclassified';
export { confusionMatrix, formatConfusionMatrix, type ConfusionMatrix, type ConfusionFormatOptions } from './confusion';
export { plotConfusionMatrix, type PlotConfusionOptions } from './confusion-plot';
export type { ClassesLike } from './labels';
export type { PixelOptions } from './pixels';
export { MissingPackageError, INSTALL_COMMAND } from './packages';
export { sparkline } from '../train/sparkline';
