/**
 * One image of a batch as plain data (file, channels, transforms, augmentation stream), and the
 * function that turns it into a transformed image. The in-thread loader and the worker pool run
 * this same function on the same data, so both give the same bits.
 */
import { readFile } from 'node:fs/promises';
import { type StreamKey, createRng } from '../../train/rng.ts';
import { decodeImage } from '../decode.ts';
import { DataError, reason } from '../errors.ts';
import type { Image } from '../image.ts';
import { type TransformSpec, applyTransforms } from '../transforms.ts';
import type { DecoderChoice, DecoderName } from './decoder.ts';
import { sharpTransformed } from './sharp_image.ts';

export interface ImageJob {
  readonly file: string;
  readonly channels: 1 | 3;
  readonly transforms: readonly TransformSpec[];
  /** The image's augmentation stream is createRng(seed, ...keys). */
  readonly seed: number;
  readonly keys: readonly StreamKey[];
}

/** Turns image jobs into images: in this thread, or in a pool of worker threads. */
export interface ImageLoader {
  readonly decoder: DecoderChoice;
  /** Worker threads; 0 for the in-thread loader. */
  readonly workers: number;
  load(job: ImageJob): Promise<Image>;
}

export async function readImageFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new DataError('io', file, code === 'ENOENT' ? 'image not found' : `cannot read (${reason(error)})`);
  }
}

export async function runImageJob(job: ImageJob, decoder: DecoderName): Promise<Image> {
  const bytes = await readImageFile(job.file);
  const rng = createRng(job.seed, ...job.keys);
  if (decoder === 'sharp') return sharpTransformed(bytes, job.file, job.channels, job.transforms, rng);
  return applyTransforms(job.transforms, decodeImage(bytes, job.file, job.channels), rng);
}

export function inThreadLoader(decoder: DecoderChoice): ImageLoader {
  return { decoder, workers: 0, load: (job) => runImageJob(job, decoder.name) };
}
