/**
 * One image through sharp: the header gives the size (image-size), and the transform list's geometric head
 * (planGeometry) runs as one libvips pipeline (decoding, a crop, a shrinking resize, a crop) and
 * then, for what that pipeline cannot do like torchvision, in JavaScript on the bytes. A shrinking
 * resize uses libvips' linear kernel, which like torchvision's antialiased bilinear widens its
 * triangle by the shrink factor (it differs at the image border, where libvips repeats the edge
 * pixel and PIL renormalises the clipped filter, and by rounding); a resize that enlarges an axis
 * is PIL's own resample (resample_rgb.ts, bit for bit), since libvips enlarges at other pixel
 * centres. The rest of the list (flip, normalize, ...) runs in JavaScript on the float image,
 * fused when it is just those two. The
 * differences from torchvision are measured in test/runtime/data/pipeline/torchvision_parity.test.ts
 * and stated in docs/PERFORMANCE.md.
 */
import { imageSize } from 'image-size';
import type { Sharp } from 'sharp';
import type { Rng } from '../../train/rng.ts';
import { sniffFormat } from '../decode.ts';
import { DataError, reason } from '../errors.ts';
import { type Image, imageFromInterleaved } from '../image.ts';
import { type TransformSpec, applyTransforms } from '../transforms.ts';
import { loadSharp } from './decoder.ts';
import { finishImage, fusableTail } from './finish.ts';
import { type GeometryOp, planGeometry } from './geometry.ts';
import { type RgbPixels, cropRgb, resampleRgb } from './resample_rgb.ts';

type SharpFactory = Awaited<ReturnType<typeof loadSharp>>;

function extract(pipeline: Sharp, op: GeometryOp & { kind: 'crop' }): Sharp {
  return pipeline.extract({ top: op.top, left: op.left, height: op.height, width: op.width });
}

const shrinks = (op: GeometryOp, height: number, width: number): boolean => op.kind === 'resize' && op.height <= height && op.width <= width;

async function toRaw(pipeline: Sharp, height: number, width: number): Promise<RgbPixels> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width < width || info.height < height) {
    throw new Error(`sharp gave ${info.channels}x${info.height}x${info.width}, expected 3x${height}x${width}`);
  }
  return cropRgb({ data, height: info.height, width: info.width }, { top: 0, left: 0, height, width });
}

/**
 * The decoding pipeline: libvips decodes and runs the leading crop and shrinking resize (and the
 * crop after it), as far as sharp's fixed order (crop, resize, crop) and its torch-like shrink
 * allow; returns the pixels and how many ops it ran.
 */
async function decodeHead(sharp: SharpFactory, bytes: Uint8Array, ops: readonly GeometryOp[], size: { height: number; width: number }): Promise<RgbPixels & { done: number }> {
  let pipeline = sharp(bytes).removeAlpha().toColourspace('srgb');
  let { height, width } = size;
  let at = 0;
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
  return { ...(await toRaw(pipeline, height, width)), done: at };
}

/** The ops libvips did not run, on the decoded bytes: crops, and resizes as PIL does them (with a following crop as their window). */
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
async function runGeometry(sharp: SharpFactory, bytes: Uint8Array, ops: readonly GeometryOp[], size: { height: number; width: number }): Promise<RgbPixels> {
  const head = await decodeHead(sharp, bytes, ops, size);
  return finishGeometry(head, ops, head.done);
}

/** Decodes `bytes` (read from `file`) with sharp and applies `transforms`, drawing from `rng`. */
export async function sharpTransformed(bytes: Uint8Array, file: string, channels: 1 | 3, transforms: readonly TransformSpec[], rng: Rng): Promise<Image> {
  const format = sniffFormat(bytes);
  if (format === undefined) throw new DataError('format', file, bytes.length === 0 ? 'empty image file' : 'not a JPEG or PNG image');
  const sharp = await loadSharp();
  const corrupt = (error: unknown) => new DataError('format', file, `corrupt ${format.toUpperCase()} image (${reason(error)})`);
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
  if (tail) return finishImage(pixels.data, pixels.height, pixels.width, channels, tail, rng);
  const image = imageFromInterleaved(pixels.data, 3, pixels.height, pixels.width, channels);
  return applyTransforms(plan.rest, image, rng);
}
