/**
 * 1-D interpolation matrices that reproduce torch.nn.functional.interpolate with
 * align_corners=False, for 'bilinear' and 'bicubic', with and without antialias. A 2-D resize is
 * separable: out = A_rows * grid * A_cols^T. Used to resample position embeddings, where timm
 * calls F.interpolate(mode='bicubic', antialias=True) (timm `resample_abs_pos_embed`).
 * The formulas follow PyTorch's CPU kernels (UpSample.h, UpSampleKernel.cpp): plain bicubic uses
 * Keys' cubic with a = -0.75 and clamps indices at the border; the antialiased kernels use a
 * = -0.5 (PIL's choice), widen the support by the scale when downsampling, truncate it at the
 * border and renormalise the weights.
 */

export type InterpolationMode = 'bilinear' | 'bicubic';

function cubicInner(x: number, a: number): number {
  return ((a + 2) * x - (a + 3)) * x * x + 1; // |x| <= 1
}

function cubicOuter(x: number, a: number): number {
  return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a; // 1 < |x| < 2
}

function antialiasFilter(mode: InterpolationMode, x: number): number {
  const ax = Math.abs(x);
  if (mode === 'bilinear') return ax < 1 ? 1 - ax : 0;
  if (ax < 1) return cubicInner(ax, -0.5);
  if (ax < 2) return cubicOuter(ax, -0.5);
  return 0;
}

/** Row-major [outSize, inSize]: output i = sum_j m[i*inSize + j] * input j. */
export function interpolationMatrix(
  outSize: number,
  inSize: number,
  mode: InterpolationMode,
  antialias: boolean,
): Float64Array {
  const m = new Float64Array(outSize * inSize);
  const scale = inSize / outSize;
  const clampIndex = (j: number) => Math.min(Math.max(j, 0), inSize - 1);
  for (let i = 0; i < outSize; i++) {
    const row = i * inSize;
    if (antialias) {
      const support = (mode === 'bilinear' ? 1 : 2) * Math.max(scale, 1);
      const invScale = scale >= 1 ? 1 / scale : 1;
      const center = scale * (i + 0.5);
      const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
      const xmax = Math.min(Math.trunc(center + support + 0.5), inSize);
      let total = 0;
      for (let j = xmin; j < xmax; j++) total += antialiasFilter(mode, (j - center + 0.5) * invScale);
      for (let j = xmin; j < xmax; j++) {
        const w = antialiasFilter(mode, (j - center + 0.5) * invScale);
        m[row + j] = total === 0 ? w : w / total;
      }
    } else if (mode === 'bilinear') {
      const real = Math.max(scale * (i + 0.5) - 0.5, 0);
      const i0 = Math.floor(real);
      const i1 = i0 < inSize - 1 ? i0 + 1 : i0;
      const lambda1 = real - i0;
      m[row + i0] = (m[row + i0] ?? 0) + (1 - lambda1);
      m[row + i1] = (m[row + i1] ?? 0) + lambda1;
    } else {
      const real = scale * (i + 0.5) - 0.5;
      const i0 = Math.floor(real);
      const t = real - i0;
      const weights = [
        cubicOuter(t + 1, -0.75),
        cubicInner(t, -0.75),
        cubicInner(1 - t, -0.75),
        cubicOuter(2 - t, -0.75),
      ];
      weights.forEach((w, k) => {
        const j = clampIndex(i0 - 1 + k);
        m[row + j] = (m[row + j] ?? 0) + w;
      });
    }
  }
  return m;
}
