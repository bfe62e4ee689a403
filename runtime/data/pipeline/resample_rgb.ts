/**
 * PIL's bilinear resample of interleaved RGB bytes, bit for bit: the weights of ../resize.ts's
 * axisTaps (PIL's precompute_coeffs) in 22-bit fixed point, a horizontal pass over only the rows
 * the vertical pass reads, each pass rounded to bytes, as Pillow's ImagingResample does for 8-bit
 * images. torchvision's Resize and RandomResizedCrop on PIL images are exactly this, so the sharp
 * path's enlargements (and any resize after one) equal torchvision's. An output window computes
 * only the pixels a following crop keeps (each output pixel depends only on its own row's and
 * column's weights, so the window equals the crop of the full result). The native addon runs the
 * same two passes in C when it is built (the same bytes; test/runtime/data/pipeline/resample_rgb.test.ts compares them).
 */
import { type AxisTaps, axisTaps } from '../resize.ts';
import { imageKernels } from './image_kernels.ts';

export interface RgbPixels {
  readonly data: Uint8Array;
  readonly height: number;
  readonly width: number;
}

export interface Window {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

const PRECISION_BITS = 22;
const HALF = 1 << (PRECISION_BITS - 1);

/** Weights as PIL's normalize_coeffs_8bpc rounds them (all bilinear weights are >= 0). */
function fixedPoint(taps: AxisTaps): Int32Array {
  const k = new Int32Array(taps.weights.length);
  for (let i = 0; i < k.length; i++) k[i] = Math.trunc(0.5 + taps.weights[i]! * (1 << PRECISION_BITS));
  return k;
}

/** PIL's clip8: the accumulated sum (with the half already added) to a byte. */
const clip8 = (sum: number): number => (sum <= 0 ? 0 : sum >= 1 << (PRECISION_BITS + 8) ? 255 : sum >> PRECISION_BITS);

function horizontal(
  src: RgbPixels,
  rowStart: number,
  rows: number,
  taps: AxisTaps,
  outFrom: number,
  outCount: number,
): Uint8Array {
  const out = new Uint8Array(rows * outCount * 3);
  const k = fixedPoint(taps);
  const native = imageKernels();
  if (native) {
    native.resampleRows(
      src.data,
      src.width,
      src.height,
      rowStart,
      rows,
      taps.start,
      taps.size,
      k,
      taps.maxTaps,
      outFrom,
      outCount,
      out,
    );
    return out;
  }
  const data = src.data;
  const { start, size, maxTaps } = taps;
  for (let y = 0; y < rows; y++) {
    const inRow = (rowStart + y) * src.width * 3;
    let o = y * outCount * 3;
    for (let x = outFrom; x < outFrom + outCount; x++) {
      let p = inRow + start[x]! * 3;
      let w = x * maxTaps;
      let r = HALF;
      let g = HALF;
      let b = HALF;
      for (let j = size[x]!; j > 0; j--, p += 3, w++) {
        r += data[p]! * k[w]!;
        g += data[p + 1]! * k[w]!;
        b += data[p + 2]! * k[w]!;
      }
      out[o++] = clip8(r);
      out[o++] = clip8(g);
      out[o++] = clip8(b);
    }
  }
  return out;
}

/** `src` rows start at source row `rowOffset`; rows [outFrom, outFrom + outCount) of the result. */
function vertical(
  src: Uint8Array,
  width: number,
  rowOffset: number,
  taps: AxisTaps,
  outFrom: number,
  outCount: number,
): Uint8Array {
  const out = new Uint8Array(outCount * width * 3);
  const k = fixedPoint(taps);
  const native = imageKernels();
  if (native) {
    native.resampleColumns(
      src,
      width,
      src.length / (width * 3),
      rowOffset,
      taps.start,
      taps.size,
      k,
      taps.maxTaps,
      outFrom,
      outCount,
      out,
    );
    return out;
  }
  const stride = width * 3;
  // Whole rows at a time: each tap adds its weighted source row to the sums (fits in int32:
  // 255 x 2^22 plus the half is below 2^31).
  const sums = new Int32Array(stride);
  for (let i = 0; i < outCount; i++) {
    const y = outFrom + i;
    const first = taps.start[y]! - rowOffset;
    sums.fill(HALF);
    for (let j = 0; j < taps.size[y]!; j++) {
      const w = k[y * taps.maxTaps + j]!;
      const row = (first + j) * stride;
      for (let v = 0; v < stride; v++) sums[v] = (sums[v]! + src[row + v]! * w) | 0;
    }
    const outRow = i * stride;
    for (let v = 0; v < stride; v++) out[outRow + v] = clip8(sums[v]!);
  }
  return out;
}

/** `src` resized to `height` x `width` as PIL's Image.resize(BILINEAR) does; only `window` of it when given. */
export function resampleRgb(
  src: RgbPixels,
  height: number,
  width: number,
  window: Window = { top: 0, left: 0, height, width },
): RgbPixels {
  const inside =
    window.top >= 0 && window.left >= 0 && window.top + window.height <= height && window.left + window.width <= width;
  if (!(Number.isInteger(height) && Number.isInteger(width) && height > 0 && width > 0 && inside)) {
    throw new Error(
      `cannot resample ${src.height}x${src.width} to ${height}x${width} (window ${JSON.stringify(window)})`,
    );
  }
  const needHorizontal = width !== src.width;
  const needVertical = height !== src.height;
  const ty = axisTaps(src.height, height);
  // The source rows the window's output rows read.
  const firstRow = needVertical ? ty.start[window.top]! : window.top;
  const lastRow = needVertical
    ? ty.start[window.top + window.height - 1]! + ty.size[window.top + window.height - 1]!
    : window.top + window.height;
  let rows: Uint8Array;
  let rowWidth: number;
  if (needHorizontal) {
    rows = horizontal(src, firstRow, lastRow - firstRow, axisTaps(src.width, width), window.left, window.width);
    rowWidth = window.width;
  } else {
    rows = src.data.subarray(firstRow * src.width * 3, lastRow * src.width * 3);
    rowWidth = src.width;
  }
  const data = needVertical ? vertical(rows, rowWidth, firstRow, ty, window.top, window.height) : rows;
  const cropped = needHorizontal
    ? { data, height: window.height, width: window.width }
    : cropRgb(
        { data, height: window.height, width: rowWidth },
        { top: 0, left: window.left, height: window.height, width: window.width },
      );
  return cropped;
}

/** The `box` of `src`, copied. */
export function cropRgb(src: RgbPixels, box: Window): RgbPixels {
  if (box.left === 0 && box.width === src.width && box.top === 0 && box.height === src.height) return src;
  const out = new Uint8Array(box.height * box.width * 3);
  for (let y = 0; y < box.height; y++) {
    const from = ((box.top + y) * src.width + box.left) * 3;
    out.set(src.data.subarray(from, from + box.width * 3), y * box.width * 3);
  }
  return { data: out, height: box.height, width: box.width };
}
