/**
 * Image transforms with torchvision's semantics: RandomResizedCrop (scale, log-uniform ratio,
 * ten tries then a center fallback), RandomCrop with padding ("pad-and-crop", the CIFAR recipe),
 * RandomHorizontalFlip, Resize (an int resizes the shorter side), CenterCrop (padding when the
 * image is smaller), Normalize, and Grayscale's inverse (to_rgb: one channel repeated three times). A transform is plain data (it comes from the Plan); all
 * randomness comes from the Rng passed in, so a batch is a pure function of its seed stream.
 */
import type { Rng } from '../train/rng.ts';
import { type Image, createImage, crop, flipHorizontal, pad } from './image.ts';
import { resizeBilinear } from './resize.ts';

/** An int means a square for crops; for resize it means "the shorter side". [height, width] otherwise. */
export type Size = number | readonly [number, number];

export type TransformSpec =
  | {
      readonly kind: 'randomResizedCrop';
      readonly size: Size;
      readonly scale?: readonly [number, number];
      readonly ratio?: readonly [number, number];
    }
  | { readonly kind: 'padCrop'; readonly size: Size; readonly padding?: number; readonly fill?: number }
  | { readonly kind: 'flip'; readonly p?: number }
  | { readonly kind: 'toRgb' }
  | { readonly kind: 'resize'; readonly size: Size }
  | { readonly kind: 'centerCrop'; readonly size: Size }
  | { readonly kind: 'normalize'; readonly mean: readonly number[]; readonly std: readonly number[] };

export const DEFAULT_CROP_SCALE: readonly [number, number] = [0.08, 1];
export const DEFAULT_CROP_RATIO: readonly [number, number] = [3 / 4, 4 / 3];

/** Python's round(): halves go to the even neighbour, which torchvision's crop arithmetic inherits. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const square = (size: Size): readonly [number, number] => (typeof size === 'number' ? [size, size] : size);

export interface CropBox {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/** torchvision's RandomResizedCrop.get_params. */
export function randomResizedCropBox(
  height: number,
  width: number,
  rng: Rng,
  scale: readonly [number, number] = DEFAULT_CROP_SCALE,
  ratio: readonly [number, number] = DEFAULT_CROP_RATIO,
): CropBox {
  const area = height * width;
  const logLo = Math.log(ratio[0]);
  const logHi = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * (scale[0] + (scale[1] - scale[0]) * rng.uniform());
    const aspect = Math.exp(logLo + (logHi - logLo) * rng.uniform());
    const w = roundHalfEven(Math.sqrt(target * aspect));
    const h = roundHalfEven(Math.sqrt(target / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return { top: rng.int(height - h + 1), left: rng.int(width - w + 1), height: h, width: w };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < Math.min(ratio[0], ratio[1])) h = roundHalfEven(w / Math.min(ratio[0], ratio[1]));
  else if (inRatio > Math.max(ratio[0], ratio[1])) w = roundHalfEven(h * Math.max(ratio[0], ratio[1]));
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

/** torchvision's Resize output size: an int sets the shorter side, keeping the aspect ratio. */
export function resizedSize(height: number, width: number, size: Size): readonly [number, number] {
  if (typeof size !== 'number') return size;
  if (width <= height) return [Math.trunc((size * height) / width), size];
  return [size, Math.trunc((size * width) / height)];
}

/** Top-left corner of torchvision's center crop; negative where the image is smaller (padded with 0). */
export function centerCropOffsets(
  haveHeight: number,
  haveWidth: number,
  height: number,
  width: number,
): { top: number; left: number } {
  const offset = (have: number, want: number): number =>
    have < want ? -Math.floor((want - have) / 2) : roundHalfEven((have - want) / 2);
  return { top: offset(haveHeight, height), left: offset(haveWidth, width) };
}

export function centerCrop(image: Image, height: number, width: number): Image {
  const { top, left } = centerCropOffsets(image.height, image.width, height, width);
  return crop(image, top, left, height, width);
}

export function normalize(image: Image, mean: readonly number[], std: readonly number[]): Image {
  for (const [what, values] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (values.length !== 1 && values.length !== image.channels) {
      throw new Error(`normalize ${what} has ${values.length} values for ${image.channels} channels`);
    }
  }
  const pick = (values: readonly number[], c: number): number => (values.length === 1 ? values[0]! : values[c]!);
  const out = new Float32Array(image.data.length);
  const plane = image.height * image.width;
  for (let c = 0; c < image.channels; c++) {
    const m = pick(mean, c);
    const s = pick(std, c);
    for (let i = c * plane; i < (c + 1) * plane; i++) out[i] = (image.data[i]! - m) / s;
  }
  return { ...image, data: out };
}

/** A grey image's one channel repeated three times; an image with three channels is returned as it is. */
export function toRgb(image: Image): Image {
  if (image.channels === 3) return image;
  if (image.channels !== 1) throw new Error(`to_rgb takes a 1- or 3-channel image, not ${image.channels} channels`);
  const out = createImage(3, image.height, image.width);
  for (let c = 0; c < 3; c++) out.data.set(image.data, c * image.data.length);
  return out;
}

export function applyTransform(spec: TransformSpec, image: Image, rng: Rng): Image {
  switch (spec.kind) {
    case 'randomResizedCrop': {
      const box = randomResizedCropBox(image.height, image.width, rng, spec.scale, spec.ratio);
      const [h, w] = square(spec.size);
      return resizeBilinear(crop(image, box.top, box.left, box.height, box.width), h, w);
    }
    case 'padCrop': {
      const padded = pad(image, spec.padding ?? 4, spec.fill ?? 0);
      const [h, w] = square(spec.size);
      if (h > padded.height || w > padded.width) {
        throw new Error(`padCrop size ${h}x${w} is larger than the padded image ${padded.height}x${padded.width}`);
      }
      return crop(padded, rng.int(padded.height - h + 1), rng.int(padded.width - w + 1), h, w);
    }
    case 'flip':
      // Draw even when p is 0 or 1, so the stream does not depend on p.
      return rng.uniform() < (spec.p ?? 0.5) ? flipHorizontal(image) : image;
    case 'resize': {
      const [h, w] = resizedSize(image.height, image.width, spec.size);
      return resizeBilinear(image, h, w);
    }
    case 'centerCrop': {
      const [h, w] = square(spec.size);
      return centerCrop(image, h, w);
    }
    case 'normalize':
      return normalize(image, spec.mean, spec.std);
    case 'toRgb':
      return toRgb(image);
  }
}

export function applyTransforms(specs: readonly TransformSpec[], image: Image, rng: Rng): Image {
  return specs.reduce((img, spec) => applyTransform(spec, img, rng), image);
}
