/**
 * An image job's result as it travels from a worker: finished floats, or (the usual case with
 * sharp) the bytes after the geometry with the flip drawn, a quarter of the floats' size, which
 * finishJob (image_job.ts) turns into floats where they arrive.
 */
import type { Image } from '../image.ts';
import type { RgbPixels } from './resample_rgb.ts';

export type JobResult =
  { readonly image: Image } | { readonly pixels: RgbPixels; readonly tailStart: number; readonly flipped: boolean };
