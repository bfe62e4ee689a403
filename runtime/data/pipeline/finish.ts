/**
 * The usual tail of a training or test pipeline (an optional flip and an optional normalize)
 * fused with the conversion of sharp's interleaved bytes to planar floats: one pass instead of
 * three. It rounds exactly as the separate steps do (each value is the float32 of byte / 255,
 * then the float32 of (value - mean) / std), so the result is bit-identical to applyTransforms.
 * A colour value depends on its byte alone, so colour images go through a table of the 256
 * results per channel (in the native addon when it is built).
 */
import type { Rng } from '../../train/rng.ts';
import { type Image, createImage } from '../image.ts';
import { imageKernels } from './image_kernels.ts';
import type { TransformSpec } from '../transforms.ts';

type Flip = TransformSpec & { kind: 'flip' };
type Normalize = TransformSpec & { kind: 'normalize' };

export interface FusableTail {
  readonly flip?: Flip;
  readonly normalize?: Normalize;
}

/** The flip and normalize of `rest` when it is exactly [flip?, normalize?] (in either order), else null. */
export function fusableTail(rest: readonly TransformSpec[]): FusableTail | null {
  const flips = rest.filter((t): t is Flip => t.kind === 'flip');
  const norms = rest.filter((t): t is Normalize => t.kind === 'normalize');
  if (flips.length > 1 || norms.length > 1 || flips.length + norms.length !== rest.length) return null;
  return { ...(flips[0] ? { flip: flips[0] } : {}), ...(norms[0] ? { normalize: norms[0] } : {}) };
}

/** The 768-entry tables by normalisation (a run uses one or two). */
const tables = new Map<string, Float32Array>();

function rgbToPlanes(
  bytes: Uint8Array,
  height: number,
  width: number,
  flipped: boolean,
  table: Float32Array,
  out: Float32Array,
): void {
  const plane = height * width;
  for (let c = 0; c < 3; c++) {
    const planeOut = out.subarray(c * plane, (c + 1) * plane);
    for (let y = 0; y < height; y++) {
      const row = y * width;
      if (flipped)
        for (let x = 0; x < width; x++) planeOut[row + x] = table[256 * c + bytes[3 * (row + width - 1 - x) + c]!]!;
      else for (let x = 0; x < width; x++) planeOut[row + x] = table[256 * c + bytes[3 * (row + x) + c]!]!;
    }
  }
}

/** Whether the tail flips this image: drawn even when p is 0 or 1, as applyTransform does, so the stream does not depend on p. */
export function drawFlip(tail: FusableTail, rng: Rng): boolean {
  return tail.flip ? rng.uniform() < (tail.flip.p ?? 0.5) : false;
}

/** Interleaved RGB bytes to the finished [C, H, W] floats: `flipped` as drawn by drawFlip, then the tail's normalize. */
export function finishImage(
  pixels: { data: Uint8Array; height: number; width: number },
  channels: 1 | 3,
  tail: FusableTail,
  flipped: boolean,
  into?: Float32Array,
): Image {
  const { data: bytes, height, width } = pixels;
  const mean = tail.normalize?.mean ?? [0];
  const std = tail.normalize?.std ?? [1];
  for (const [what, values] of [
    ['mean', mean],
    ['std', std],
  ] as const) {
    if (values.length !== 1 && values.length !== channels)
      throw new Error(`normalize ${what} has ${values.length} values for ${channels} channels`);
  }
  const image = into ? { data: into, channels, height, width } : createImage(channels, height, width);
  const out = image.data;
  const normalizing = tail.normalize !== undefined;
  const finishFor = (c: number) => {
    const m = mean.length === 1 ? mean[0]! : mean[c]!;
    const s = std.length === 1 ? std[0]! : std[c]!;
    return (v: number) => (normalizing ? (Math.fround(v) - m) / s : v);
  };
  if (channels === 3) {
    const key = normalizing ? `${mean.join()}/${std.join()}` : '';
    let table = tables.get(key);
    if (!table) {
      table = new Float32Array(768);
      for (let c = 0; c < 3; c++) {
        const finish = finishFor(c);
        for (let b = 0; b < 256; b++) table[256 * c + b] = finish(b / 255);
      }
      tables.set(key, table);
    }
    const native = imageKernels();
    if (native) native.rgbToPlanes(bytes, height, width, flipped ? 1 : 0, table, out);
    else rgbToPlanes(bytes, height, width, flipped, table, out);
    return image;
  }
  const finish = finishFor(0);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const p = 3 * (row + (flipped ? width - 1 - x : x));
      out[row + x] = finish((bytes[p]! * 299 + bytes[p + 1]! * 587 + bytes[p + 2]! * 114) / 1000 / 255);
    }
  }
  return image;
}
