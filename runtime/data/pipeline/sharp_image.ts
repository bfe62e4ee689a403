/**
 * One image through sharp: the header gives the size, and the transform list's geometric head
 * (planGeometry) runs in libvips: decoding, crops, and resizes. A shrinking resize uses libvips'
 * linear kernel, which like torchvision's antialiased bilinear widens its triangle by the shrink
 * factor (it differs at the image border, where libvips repeats the edge pixel and torch
 * renormalises the clipped filter, and by rounding to bytes); an enlarging one uses an affine
 * bilinear map set to torch's pixel centres (see enlarge). The rest of the list (flip,
 * normalize, ...) runs in JavaScript on the float image, fused when it is just those two. The
 * differences from torchvision are measured in test/runtime/data/pipeline/torchvision_parity.test.ts
 * and stated in docs/PERFORMANCE.md.
 */
import type { Sharp } from 'sharp';
import type { Rng } from '../../train/rng.ts';
import { sniffFormat } from '../decode.ts';
import { DataError, reason } from '../errors.ts';
import { type Image, imageFromInterleaved } from '../image.ts';
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

const rawInput = (image: RawRgb) => ({ raw: { width: image.width, height: image.height, channels: 3 as const } });

async function toRaw(pipeline: Sharp, height: number, width: number): Promise<RawRgb> {
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width < width || info.height < height) {
    throw new Error(`sharp gave ${info.channels}x${info.height}x${info.width}, expected 3x${height}x${width}`);
  }
  if (info.width === width && info.height === height) return { data, height, width };
  const out = new Uint8Array(height * width * 3); // the top-left height x width of a larger result
  for (let y = 0; y < height; y++) out.set(data.subarray(y * info.width * 3, (y * info.width + width) * 3), y * width * 3);
  return { data: out, height, width };
}

/**
 * Runs ops from `at` on while sharp's resize matches torchvision (crops, shrinking resizes), in as
 * few sharp calls as its fixed order (crop, resize, crop) allows; returns the pixels and where it stopped.
 */
async function runOps(sharp: SharpFactory, source: Uint8Array | RawRgb, ops: readonly GeometryOp[], at: number, size: { height: number; width: number }): Promise<RawRgb & { done: number }> {
  let input: RawRgb | undefined = source instanceof Uint8Array ? undefined : source;
  if (input && at >= ops.length) return { ...input, done: at };
  let { height, width } = size;
  do {
    let pipeline = input ? sharp(input.data, rawInput(input)) : sharp(source as Uint8Array).removeAlpha().toColourspace('srgb');
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
    input = await toRaw(pipeline, height, width);
  } while (at < ops.length && (ops[at]!.kind === 'crop' || shrinks(ops[at]!, height, width)));
  return { ...input, done: at };
}

/**
 * A resize that enlarges at least one axis. libvips' resize samples enlargements at other pixel
 * centres than torch, so: the shrinking axis (if any) by resize, then a bilinear affine map with
 * torch's half-pixel centres (output x samples input (x + 0.5) / scale - 0.5) on the image padded
 * by one copied edge pixel (torch clamps at the border). Measured equal to torch's bilinear up
 * to rounding to bytes.
 */
async function enlarge(sharp: SharpFactory, image: RawRgb, height: number, width: number): Promise<RawRgb> {
  let current = image;
  if (height < current.height || width < current.width) {
    const [h, w] = [Math.min(height, current.height), Math.min(width, current.width)];
    current = await toRaw(sharp(current.data, rawInput(current)).resize({ width: w, height: h, fit: 'fill', kernel: 'linear' }), h, w);
  }
  const padded = await toRaw(
    sharp(current.data, rawInput(current)).extend({ top: 1, bottom: 1, left: 1, right: 1, extendWith: 'copy' }),
    current.height + 2,
    current.width + 2,
  );
  const matrix: [[number, number], [number, number]] = [[width / current.width, 0], [0, height / current.height]];
  const affine = sharp(padded.data, rawInput(padded)).affine(matrix, { idx: -0.5, idy: -0.5, odx: -0.5, ody: -0.5, interpolator: 'bilinear' });
  return toRaw(affine, height, width);
}

/** Every geometry op in libvips: runs of crops and shrinks, with enlargements between them. */
async function runGeometry(sharp: SharpFactory, bytes: Uint8Array, ops: readonly GeometryOp[], size: { height: number; width: number }): Promise<RawRgb> {
  let pixels = await runOps(sharp, bytes, ops, 0, size);
  while (pixels.done < ops.length) {
    const op = ops[pixels.done] as GeometryOp & { kind: 'resize' }; // runOps stops only at an enlarging resize
    const enlarged = await enlarge(sharp, pixels, op.height, op.width);
    pixels = await runOps(sharp, enlarged, ops, pixels.done + 1, enlarged);
  }
  return pixels;
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
    pixels = await runGeometry(sharp, bytes, plan.ops, size);
  } catch (error) {
    throw corrupt(error);
  }
  const tail = fusableTail(plan.rest);
  if (tail) return finishImage(pixels.data, pixels.height, pixels.width, channels, tail, rng);
  const image = imageFromInterleaved(pixels.data, 3, pixels.height, pixels.width, channels);
  return applyTransforms(plan.rest, image, rng);
}
