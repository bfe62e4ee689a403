/**
 * One image through sharp: the header gives the size, and the transform list's geometric head
 * (planGeometry) runs in libvips as far as libvips matches torchvision: decoding, crops, and
 * resizes that shrink both axes (the linear kernel widens its triangle by the shrink factor, as
 * torchvision's antialiased bilinear does; it differs at the image border, where libvips repeats
 * the edge pixel and torch renormalises the clipped filter, and by rounding to bytes). libvips
 * upsizes with a different pixel-centre convention, so from the first resize that enlarges an
 * axis on, the geometry runs in the project's torch-matching code, as does the rest of the list
 * (flip, normalize, ...). The differences from torchvision are measured in
 * test/runtime/data/pipeline/torchvision_parity.test.ts and stated in docs/PERFORMANCE.md.
 */
import type { Sharp } from 'sharp';
import type { Rng } from '../../train/rng.ts';
import { sniffFormat } from '../decode.ts';
import { DataError, reason } from '../errors.ts';
import { type Image, crop, imageFromInterleaved } from '../image.ts';
import { resizeBilinear } from '../resize.ts';
import { type TransformSpec, applyTransforms } from '../transforms.ts';
import { loadSharp } from './decoder.ts';
import { finishImage, fusableTail } from './finish.ts';
import { type GeometryOp, planGeometry } from './geometry.ts';

interface RawRgb {
  readonly data: Uint8Array;
  readonly height: number;
  readonly width: number;
}

type SharpFactory = Awaited<ReturnType<typeof loadSharp>>;

function extract(pipeline: Sharp, op: GeometryOp & { kind: 'crop' }): Sharp {
  return pipeline.extract({ top: op.top, left: op.left, height: op.height, width: op.width });
}

const shrinks = (op: GeometryOp, height: number, width: number): boolean => op.kind === 'resize' && op.height <= height && op.width <= width;

/**
 * Runs the leading `ops` that sharp matches torchvision on (crops, shrinking resizes) in as few
 * sharp calls as its fixed order (crop, resize, crop) allows; returns the pixels and how many ops ran.
 */
async function runOps(sharp: SharpFactory, bytes: Uint8Array, ops: readonly GeometryOp[], size: { height: number; width: number }): Promise<RawRgb & { done: number }> {
  let input: RawRgb | undefined;
  let at = 0;
  let { height, width } = size;
  do {
    let pipeline = input
      ? sharp(input.data, { raw: { width: input.width, height: input.height, channels: 3 } })
      : sharp(bytes).removeAlpha().toColourspace('srgb');
    let op = ops[at];
    if (op?.kind === 'crop') {
      pipeline = extract(pipeline, op);
      [height, width] = [op.height, op.width];
      op = ops[++at];
    }
    if (op && shrinks(op, height, width)) {
      const resize = op as GeometryOp & { kind: 'resize' };
      const resized = resize.height !== height || resize.width !== width;
      if (resized) pipeline = pipeline.resize({ width: resize.width, height: resize.height, fit: 'fill', kernel: 'linear', fastShrinkOnLoad: false });
      [height, width] = [resize.height, resize.width];
      op = ops[++at];
      if (op?.kind === 'crop' && resized) {
        pipeline = extract(pipeline, op);
        [height, width] = [op.height, op.width];
        at += 1;
      }
    }
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3 || info.width !== width || info.height !== height) {
      throw new Error(`sharp gave ${info.channels}x${info.height}x${info.width}, expected 3x${height}x${width}`);
    }
    input = { data, height, width };
  } while (at < ops.length && (ops[at]!.kind === 'crop' || shrinks(ops[at]!, height, width)));
  return { ...input, done: at };
}

function applyOp(image: Image, op: GeometryOp): Image {
  return op.kind === 'crop' ? crop(image, op.top, op.left, op.height, op.width) : resizeBilinear(image, op.height, op.width);
}

/** Decodes `bytes` (read from `file`) with sharp and applies `transforms`, drawing from `rng`. */
export async function sharpTransformed(bytes: Uint8Array, file: string, channels: 1 | 3, transforms: readonly TransformSpec[], rng: Rng): Promise<Image> {
  const format = sniffFormat(bytes);
  if (format === undefined) throw new DataError('format', file, bytes.length === 0 ? 'empty image file' : 'not a JPEG or PNG image');
  const sharp = await loadSharp();
  const corrupt = (error: unknown) => new DataError('format', file, `corrupt ${format.toUpperCase()} image (${reason(error)})`);
  let size: { height: number; width: number };
  try {
    const meta = await sharp(bytes).metadata();
    size = { height: meta.height, width: meta.width };
  } catch (error) {
    throw corrupt(error);
  }
  const plan = planGeometry(transforms, size.height, size.width, rng);
  let pixels: RawRgb & { done: number };
  try {
    pixels = await runOps(sharp, bytes, plan.ops, size);
  } catch (error) {
    throw corrupt(error);
  }
  const tail = pixels.done === plan.ops.length ? fusableTail(plan.rest) : null;
  if (tail) return finishImage(pixels.data, pixels.height, pixels.width, channels, tail, rng);
  const image = plan.ops.slice(pixels.done).reduce(applyOp, imageFromInterleaved(pixels.data, 3, pixels.height, pixels.width, channels));
  return applyTransforms(plan.rest, image, rng);
}
