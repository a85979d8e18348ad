/**
 * Plain float64 references for convolution and pooling over NCHW tensors: direct loops over
 * every output and kernel tap, written for clarity, not speed. Gradients are of L = sum(out * dy).
 */

export interface ConvParams {
  stride: [number, number];
  /** [top, bottom, left, right] */
  padding: [number, number, number, number];
  dilation: [number, number];
  groups: number;
}

export interface ConvGrads {
  dx: Float64Array;
  dw: Float64Array;
  db: Float64Array;
}

/** PyTorch's output shape [n, o, ho, wo], or null when the kernel does not fit the padded input. */
export function convOutShape(xShape: readonly number[], wShape: readonly number[], p: ConvParams): number[] | null {
  const [n, , h, w] = xShape;
  const [o, , kh, kw] = wShape;
  const reachH = p.dilation[0] * (kh - 1) + 1;
  const reachW = p.dilation[1] * (kw - 1) + 1;
  const ph = h + p.padding[0] + p.padding[1];
  const pw = w + p.padding[2] + p.padding[3];
  if (reachH > ph || reachW > pw) return null;
  return [n, o, Math.floor((ph - reachH) / p.stride[0]) + 1, Math.floor((pw - reachW) / p.stride[1]) + 1];
}

/**
 * Calls visit(xi, wi, yi) for every (output, tap) pair whose input element lies in the image:
 * xi, wi, yi are flat offsets into x, weight and the output.
 */
function forEachTap(xShape: readonly number[], wShape: readonly number[], p: ConvParams, visit: (xi: number, wi: number, yi: number) => void): number[] {
  const [n, c, h, w] = xShape;
  const [o, cg, kh, kw] = wShape;
  const out = convOutShape(xShape, wShape, p);
  if (!out) throw new Error('kernel larger than the padded input');
  const [, , ho, wo] = out;
  const og = o / p.groups;
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++) {
      const g = Math.floor(oc / og);
      for (let oy = 0; oy < ho; oy++)
        for (let ox = 0; ox < wo; ox++) {
          const yi = ((b * o + oc) * ho + oy) * wo + ox;
          for (let ci = 0; ci < cg; ci++)
            for (let ky = 0; ky < kh; ky++) {
              const iy = oy * p.stride[0] - p.padding[0] + ky * p.dilation[0];
              if (iy < 0 || iy >= h) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = ox * p.stride[1] - p.padding[2] + kx * p.dilation[1];
                if (ix < 0 || ix >= w) continue;
                visit(((b * c + g * cg + ci) * h + iy) * w + ix, ((oc * cg + ci) * kh + ky) * kw + kx, yi);
              }
            }
        }
    }
  return out;
}

export function refConv2d(
  x: ArrayLike<number>,
  xShape: readonly number[],
  wt: ArrayLike<number>,
  wShape: readonly number[],
  bias: ArrayLike<number> | null,
  p: ConvParams,
  relu = false,
): { values: Float64Array; shape: number[] } {
  const shape = convOutShape(xShape, wShape, p)!;
  const y = new Float64Array(shape.reduce((a, b) => a * b, 1));
  const plane = shape[2] * shape[3];
  if (bias) for (let i = 0; i < y.length; i++) y[i] = bias[Math.floor(i / plane) % shape[1]];
  forEachTap(xShape, wShape, p, (xi, wi, yi) => {
    y[yi] += x[xi] * wt[wi];
  });
  if (relu) for (let i = 0; i < y.length; i++) y[i] = Math.max(0, y[i]);
  return { values: y, shape };
}

export function refConv2dBackward(
  dy: ArrayLike<number>,
  x: ArrayLike<number>,
  xShape: readonly number[],
  wt: ArrayLike<number>,
  wShape: readonly number[],
  p: ConvParams,
): ConvGrads {
  const dx = new Float64Array(xShape.reduce((a, b) => a * b, 1));
  const dw = new Float64Array(wShape.reduce((a, b) => a * b, 1));
  const db = new Float64Array(wShape[0]);
  const shape = forEachTap(xShape, wShape, p, (xi, wi, yi) => {
    dx[xi] += dy[yi] * wt[wi];
    dw[wi] += dy[yi] * x[xi];
  });
  const plane = shape[2] * shape[3];
  for (let i = 0; i < dy.length; i++) db[Math.floor(i / plane) % shape[1]] += dy[i];
  return { dx, dw, db };
}

export interface PoolParams {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  ceilMode: boolean;
}

/** PyTorch's pooling_output_shape along one dim. */
export function poolOutSize(size: number, k: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  let out = Math.floor((size + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

export function poolOutShape(xShape: readonly number[], p: PoolParams): number[] {
  const [n, c, h, w] = xShape;
  return [n, c, poolOutSize(h, p.kernel[0], p.padding[0], p.stride[0], p.dilation[0], p.ceilMode), poolOutSize(w, p.kernel[1], p.padding[1], p.stride[1], p.dilation[1], p.ceilMode)];
}

/** Max pooling as PyTorch's CPU kernel: the first max wins ties, a NaN beats everything (the last NaN wins). */
export function refMaxPool2d(x: ArrayLike<number>, xShape: readonly number[], p: PoolParams): { values: Float64Array; indices: Int32Array; shape: number[] } {
  const shape = poolOutShape(xShape, p);
  const [n, c, h, w] = xShape;
  const [, , ho, wo] = shape;
  const values = new Float64Array(n * c * ho * wo);
  const indices = new Int32Array(values.length);
  for (let pl = 0; pl < n * c; pl++)
    for (let oy = 0; oy < ho; oy++)
      for (let ox = 0; ox < wo; ox++) {
        let best = -Infinity;
        let at = -1;
        for (let ky = 0; ky < p.kernel[0]; ky++) {
          const iy = oy * p.stride[0] - p.padding[0] + ky * p.dilation[0];
          if (iy < 0 || iy >= h) continue;
          for (let kx = 0; kx < p.kernel[1]; kx++) {
            const ix = ox * p.stride[1] - p.padding[1] + kx * p.dilation[1];
            if (ix < 0 || ix >= w) continue;
            const v = x[pl * h * w + iy * w + ix];
            if (at < 0 || v > best || Number.isNaN(v)) {
              best = v;
              at = iy * w + ix;
            }
          }
        }
        const k = (pl * ho + oy) * wo + ox;
        values[k] = best;
        indices[k] = at;
      }
  return { values, indices, shape };
}

export function refMaxPool2dBackward(dy: ArrayLike<number>, indices: ArrayLike<number>, xShape: readonly number[], outShape: readonly number[]): Float64Array {
  const plane = xShape[2] * xShape[3];
  const outPlane = outShape[2] * outShape[3];
  const dx = new Float64Array(xShape.reduce((a, b) => a * b, 1));
  for (let k = 0; k < dy.length; k++) dx[Math.floor(k / outPlane) * plane + indices[k]] += dy[k];
  return dx;
}

/** Calls visit(xi, yi, divisor) for each input element of each avg_pool2d window (PyTorch's bounds and divisors). */
function forEachAvgTap(xShape: readonly number[], p: PoolParams, countIncludePad: boolean, divisorOverride: number | null, visit: (xi: number, yi: number, divisor: number) => void): number[] {
  const shape = poolOutShape(xShape, p);
  const [n, c, h, w] = xShape;
  const [, , ho, wo] = shape;
  for (let pl = 0; pl < n * c; pl++)
    for (let oy = 0; oy < ho; oy++)
      for (let ox = 0; ox < wo; ox++) {
        const y0 = oy * p.stride[0] - p.padding[0];
        const x0 = ox * p.stride[1] - p.padding[1];
        const y1 = Math.min(y0 + p.kernel[0], h + p.padding[0]);
        const x1 = Math.min(x0 + p.kernel[1], w + p.padding[1]);
        const padded = (y1 - y0) * (x1 - x0);
        const ya = Math.max(y0, 0);
        const xa = Math.max(x0, 0);
        const yb = Math.min(y1, h);
        const xb = Math.min(x1, w);
        const divisor = divisorOverride ?? (countIncludePad ? padded : (yb - ya) * (xb - xa));
        const yi = (pl * ho + oy) * wo + ox;
        for (let iy = ya; iy < yb; iy++) for (let ix = xa; ix < xb; ix++) visit(pl * h * w + iy * w + ix, yi, divisor);
      }
  return shape;
}

export function refAvgPool2d(x: ArrayLike<number>, xShape: readonly number[], p: PoolParams, countIncludePad: boolean, divisorOverride: number | null): { values: Float64Array; shape: number[] } {
  const shape = poolOutShape(xShape, p);
  const values = new Float64Array(shape.reduce((a, b) => a * b, 1));
  forEachAvgTap(xShape, p, countIncludePad, divisorOverride, (xi, yi, divisor) => {
    values[yi] += x[xi] / divisor;
  });
  return { values, shape };
}

export function refAvgPool2dBackward(dy: ArrayLike<number>, xShape: readonly number[], p: PoolParams, countIncludePad: boolean, divisorOverride: number | null): Float64Array {
  const dx = new Float64Array(xShape.reduce((a, b) => a * b, 1));
  forEachAvgTap(xShape, p, countIncludePad, divisorOverride, (xi, yi, divisor) => {
    dx[xi] += dy[yi] / divisor;
  });
  return dx;
}

/** Adaptive average pooling's window along one dim: [floor(i * size / out), ceil((i + 1) * size / out)). */
export function adaptiveSpan(i: number, out: number, size: number): [number, number] {
  return [Math.floor((i * size) / out), Math.ceil(((i + 1) * size) / out)];
}

function forEachAdaptiveTap(xShape: readonly number[], ho: number, wo: number, visit: (xi: number, yi: number, count: number) => void): void {
  const [n, c, h, w] = xShape;
  for (let pl = 0; pl < n * c; pl++)
    for (let oy = 0; oy < ho; oy++) {
      const [ya, yb] = adaptiveSpan(oy, ho, h);
      for (let ox = 0; ox < wo; ox++) {
        const [xa, xb] = adaptiveSpan(ox, wo, w);
        const yi = (pl * ho + oy) * wo + ox;
        for (let iy = ya; iy < yb; iy++) for (let ix = xa; ix < xb; ix++) visit(pl * h * w + iy * w + ix, yi, (yb - ya) * (xb - xa));
      }
    }
}

export function refAdaptiveAvgPool2d(x: ArrayLike<number>, xShape: readonly number[], ho: number, wo: number): Float64Array {
  const out = new Float64Array(xShape[0] * xShape[1] * ho * wo);
  forEachAdaptiveTap(xShape, ho, wo, (xi, yi, count) => {
    out[yi] += x[xi] / count;
  });
  return out;
}

export function refAdaptiveAvgPool2dBackward(dy: ArrayLike<number>, xShape: readonly number[], ho: number, wo: number): Float64Array {
  const dx = new Float64Array(xShape.reduce((a, b) => a * b, 1));
  forEachAdaptiveTap(xShape, ho, wo, (xi, yi, count) => {
    dx[xi] += dy[yi] / count;
  });
  return dx;
}
