/**
 * Bilinear resizing with antialiasing, as PIL's `Image.resize(BILINEAR)` and torch's
 * `F.interpolate(mode='bilinear', align_corners=False, antialias=True)` do it (which is what
 * torchvision's Resize and RandomResizedCrop use): a separable triangle filter whose support
 * widens by the downscale factor, so shrinking averages every source pixel instead of skipping
 * most of them. Upscaling is plain half-pixel bilinear. Checked against torch on fixtures.
 * Written here rather than taken from tfjs so that data loading needs no tensor backend and gives
 * the same bits whichever backend trains.
 */
import { type Image, createImage } from './image.ts';

export interface AxisTaps {
  readonly start: Int32Array; // first source index per output index
  readonly size: Int32Array; // taps per output index
  readonly weights: Float64Array; // [out, maxTaps]
  readonly maxTaps: number;
}

const triangle = (x: number): number => Math.max(0, 1 - Math.abs(x));

/** PIL's precompute_coeffs for the bilinear filter: per output index, its first source index and normalised weights. */
export function axisTaps(inSize: number, outSize: number): AxisTaps {
  const scale = inSize / outSize;
  const support = scale >= 1 ? scale : 1;
  const invScale = scale >= 1 ? 1 / scale : 1;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const size = new Int32Array(outSize);
  const weights = new Float64Array(outSize * maxTaps);
  for (let i = 0; i < outSize; i++) {
    const center = scale * (i + 0.5);
    // Truncation toward zero, as the reference C code casts to int64.
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - lo;
    let total = 0;
    for (let j = 0; j < n; j++) {
      const w = triangle((j + lo - center + 0.5) * invScale);
      weights[i * maxTaps + j] = w;
      total += w;
    }
    if (total !== 0) for (let j = 0; j < n; j++) weights[i * maxTaps + j]! /= total;
    start[i] = lo;
    size[i] = n;
  }
  return { start, size, weights, maxTaps };
}

/** Resizes to exactly `height` x `width`. */
export function resizeBilinear(image: Image, height: number, width: number): Image {
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0)) {
    throw new Error(`resize target must be positive integers, got ${height}x${width}`);
  }
  if (height === image.height && width === image.width) return { ...image, data: image.data.slice() };
  const { channels, height: inH, width: inW } = image;
  // Horizontal pass: [C, inH, inW] -> [C, inH, width].
  const tx = axisTaps(inW, width);
  const mid = new Float64Array(channels * inH * width);
  for (let row = 0; row < channels * inH; row++) {
    for (let x = 0; x < width; x++) {
      let acc = 0;
      const s = tx.start[x]!;
      for (let j = 0; j < tx.size[x]!; j++) acc += tx.weights[x * tx.maxTaps + j]! * image.data[row * inW + s + j]!;
      mid[row * width + x] = acc;
    }
  }
  // Vertical pass: [C, inH, width] -> [C, height, width].
  const ty = axisTaps(inH, height);
  const out = createImage(channels, height, width);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      const s = ty.start[y]!;
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let j = 0; j < ty.size[y]!; j++)
          acc += ty.weights[y * ty.maxTaps + j]! * mid[(c * inH + s + j) * width + x]!;
        out.data[(c * height + y) * width + x] = acc;
      }
    }
  }
  return out;
}
