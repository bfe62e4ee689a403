/**
 * One image through sharp: the header gives the size, the transform list's geometric head
 * (planGeometry) runs in libvips (decode, crop, resize with the linear kernel, which like
 * torchvision's antialiased bilinear widens the triangle filter by the downscale factor), and the
 * rest (flip, normalize, pad-and-crop, ...) runs in JavaScript on the float image. The difference
 * from torchvision's own pipeline is measured in test/runtime/data/pipeline/sharp_parity.test.ts
 * and stated in docs/PERFORMANCE.md.
 */
import type { Sharp } from 'sharp';
import type { Rng } from '../../train/rng.ts';
import { sniffFormat } from '../decode.ts';
import { DataError, reason } from '../errors.ts';
import { type Image, imageFromInterleaved } from '../image.ts';
import { type TransformSpec, applyTransforms } from '../transforms.ts';
import { loadSharp } from './decoder.ts';
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

/** Runs `ops` as few sharp calls as the fixed order crop, resize, crop of one call allows. */
async function runOps(sharp: SharpFactory, bytes: Uint8Array, ops: readonly GeometryOp[], size: { height: number; width: number }): Promise<RawRgb> {
  let input: RawRgb | undefined;
  let at = 0;
  let { height, width } = size;
  do {
    let pipeline = input
      ? sharp(input.data, { raw: { width: input.width, height: input.height, channels: 3 } })
      : sharp(bytes).removeAlpha().toColourspace('srgb');
    let resized = false;
    const next = (): GeometryOp | undefined => ops[at];
    let op = next();
    if (op?.kind === 'crop') {
      pipeline = extract(pipeline, op);
      [height, width] = [op.height, op.width];
      op = ops[++at];
    }
    if (op?.kind === 'resize') {
      if (op.height !== height || op.width !== width) {
        pipeline = pipeline.resize({ width: op.width, height: op.height, fit: 'fill', kernel: 'linear', fastShrinkOnLoad: false });
        resized = true;
      }
      [height, width] = [op.height, op.width];
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
  } while (at < ops.length);
  return input;
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
  let pixels: RawRgb;
  try {
    pixels = await runOps(sharp, bytes, plan.ops, size);
  } catch (error) {
    throw corrupt(error);
  }
  return applyTransforms(plan.rest, imageFromInterleaved(pixels.data, 3, pixels.height, pixels.width, channels), rng);
}
