/**
 * The geometric head of a transform list as plain crop and resize operations, for a decoder that
 * crops and resizes natively (sharp). The random parameters are drawn exactly as
 * applyTransforms draws them (same functions, same order, from the same per-image stream), so
 * the rest of the list, run in JavaScript afterwards, continues the stream where it would have.
 */
import type { Rng } from '../../train/rng.ts';
import {
  type CropBox,
  type Size,
  type TransformSpec,
  centerCropOffsets,
  randomResizedCropBox,
  resizedSize,
} from '../transforms.ts';

export type GeometryOp =
  ({ readonly kind: 'crop' } & CropBox) | { readonly kind: 'resize'; readonly height: number; readonly width: number };

export interface GeometryPlan {
  readonly ops: readonly GeometryOp[];
  /** The transforms after the geometric head, to run in JavaScript on the result. */
  readonly rest: readonly TransformSpec[];
  readonly height: number;
  readonly width: number;
}

const square = (size: Size): readonly [number, number] => (typeof size === 'number' ? [size, size] : size);

/**
 * Leading randomResizedCrop, resize and in-bounds centerCrop transforms of `transforms` for an
 * image of `height` x `width`; stops at the first transform of another kind (or a center crop
 * that needs padding), which then runs in JavaScript with the remaining ones.
 */
export function planGeometry(
  transforms: readonly TransformSpec[],
  height: number,
  width: number,
  rng: Rng,
): GeometryPlan {
  const ops: GeometryOp[] = [];
  let h = height;
  let w = width;
  let taken = 0;
  for (const spec of transforms) {
    if (spec.kind === 'randomResizedCrop') {
      const box = randomResizedCropBox(h, w, rng, spec.scale, spec.ratio);
      [h, w] = square(spec.size);
      ops.push({ kind: 'crop', ...box }, { kind: 'resize', height: h, width: w });
    } else if (spec.kind === 'resize') {
      const [nh, nw] = resizedSize(h, w, spec.size);
      if (nh !== h || nw !== w) ops.push({ kind: 'resize', height: nh, width: nw });
      [h, w] = [nh, nw];
    } else if (spec.kind === 'centerCrop') {
      const [ch, cw] = square(spec.size);
      if (ch > h || cw > w) break;
      const { top, left } = centerCropOffsets(h, w, ch, cw);
      if (ch !== h || cw !== w) ops.push({ kind: 'crop', top, left, height: ch, width: cw });
      [h, w] = [ch, cw];
    } else {
      break;
    }
    taken += 1;
  }
  return { ops, rest: transforms.slice(taken), height: h, width: w };
}
