/**
 * One image through sharp: the header gives the size (image-size), libvips decodes the image and
 * cuts the transform list's first crop (planGeometry), and every resize after it is PIL's own
 * bilinear resample (resample_rgb.ts, in the native addon when it is built), so the geometry
 * equals torchvision's bytes (libvips' own resize differs: at the border when shrinking, and at
 * every pixel centre when enlarging). The rest of the list (flip, normalize, ...) runs on the
 * float image, fused when it is just those two. The differences from torchvision are measured in
 * test/runtime/data/pipeline/torchvision_parity.test.ts and stated in docs/PERFORMANCE.md.
 */
import { imageSize } from 'image-size';
import type { Sharp } from 'sharp';
import type { Rng } from '../../train/rng.ts';
import { sniffFormat } from '../decode.ts';
import { DataError, reason } from '../errors.ts';
import { imageFromInterleaved } from '../image.ts';
import { type TransformSpec, applyTransforms } from '../transforms.ts';
import { loadSharp } from './decoder.ts';
import { drawFlip, fusableTail } from './finish.ts';
import { type GeometryOp, planGeometry } from './geometry.ts';
import type { JobResult } from './job_result.ts';
import { type RgbPixels, cropRgb, resampleRgb } from './resample_rgb.ts';

type SharpFactory = Awaited<ReturnType<typeof loadSharp>>;

function extract(pipeline: Sharp, op: GeometryOp & { kind: 'crop' }): Sharp {
  return pipeline.extract({ top: op.top, left: op.left, height: op.height, width: op.width });
}

async function toRaw(pipeline: Sharp, height: number, width: number): Promise<RgbPixels> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width < width || info.height < height) {
    throw new Error(`sharp gave ${info.channels}x${info.height}x${info.width}, expected 3x${height}x${width}`);
  }
  return cropRgb({ data, height: info.height, width: info.width }, { top: 0, left: 0, height, width });
}

/** The decoding pipeline: libvips decodes, and crops when the first op is a crop; returns the pixels and how many ops it ran. */
async function decodeHead(
  sharp: SharpFactory,
  bytes: Uint8Array,
  ops: readonly GeometryOp[],
  size: { height: number; width: number },
): Promise<RgbPixels & { done: number }> {
  const pipeline = sharp(bytes).removeAlpha().toColourspace('srgb');
  const first = ops[0];
  if (first?.kind !== 'crop') return { ...(await toRaw(pipeline, size.height, size.width)), done: 0 };
  return { ...(await toRaw(extract(pipeline, first), first.height, first.width)), done: 1 };
}

/** The ops after the decoding pipeline, on its bytes: crops, and resizes as PIL does them (with a following crop as their window). */
function finishGeometry(pixels: RgbPixels, ops: readonly GeometryOp[], from: number): RgbPixels {
  let current = pixels;
  for (let at = from; at < ops.length; at++) {
    const op = ops[at]!;
    if (op.kind === 'crop') {
      current = cropRgb(current, op);
      continue;
    }
    const next = ops[at + 1];
    const window = next?.kind === 'crop' ? next : undefined;
    current = resampleRgb(current, op.height, op.width, window);
    if (window) at += 1;
  }
  return current;
}

/** Every geometry op: the decoding pipeline's share in libvips, the rest in JavaScript. */
async function runGeometry(
  sharp: SharpFactory,
  bytes: Uint8Array,
  ops: readonly GeometryOp[],
  size: { height: number; width: number },
): Promise<RgbPixels> {
  const head = await decodeHead(sharp, bytes, ops, size);
  return finishGeometry(head, ops, head.done);
}

/**
 * Decodes `bytes` (read from `file`) with sharp and runs `transforms`, drawing from `rng`: up to
 * a tail of just a flip and a normalize (the bytes, with the flip drawn; finishJob turns them into
 * floats, here or in the process that receives them), else to the end.
 */
export async function sharpGeometry(
  bytes: Uint8Array,
  file: string,
  channels: 1 | 3,
  transforms: readonly TransformSpec[],
  rng: Rng,
): Promise<JobResult> {
  const format = sniffFormat(bytes);
  if (format === undefined)
    throw new DataError('format', file, bytes.length === 0 ? 'empty image file' : 'not a JPEG or PNG image');
  const sharp = await loadSharp();
  const corrupt = (error: unknown) =>
    new DataError('format', file, `corrupt ${format.toUpperCase()} image (${reason(error)})`);
  let size: { height: number; width: number };
  try {
    // From the header, in JavaScript: a libvips call (and a trip through the thread pool) less per image.
    const { height, width } = imageSize(bytes);
    size = { height, width };
  } catch (error) {
    throw corrupt(error);
  }
  const plan = planGeometry(transforms, size.height, size.width, rng);
  let pixels: RgbPixels;
  try {
    pixels = await runGeometry(sharp, bytes, plan.ops, size);
  } catch (error) {
    throw corrupt(error);
  }
  const tail = fusableTail(plan.rest);
  if (tail) return { pixels, tailStart: transforms.length - plan.rest.length, flipped: drawFlip(tail, rng) };
  const image = imageFromInterleaved(pixels.data, 3, pixels.height, pixels.width, channels);
  return { image: applyTransforms(plan.rest, image, rng) };
}
