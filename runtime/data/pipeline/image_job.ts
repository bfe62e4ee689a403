/**
 * One image of a batch as plain data (file, channels, transforms, augmentation stream), and the
 * function that turns it into a transformed image. The in-thread loader and the worker pool run
 * this same function on the same data, so both give the same bits.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { type StreamKey, createRng } from '../../train/rng.ts';
import { decodeImage } from '../decode.ts';
import { DataError, reason } from '../errors.ts';
import type { Image } from '../image.ts';
import { type TransformSpec, applyTransforms } from '../transforms.ts';
import type { DecoderChoice, DecoderName } from './decoder.ts';
import { finishImage, fusableTail } from './finish.ts';
import type { JobResult } from './job_result.ts';
import { sharpGeometry } from './sharp_image.ts';

export interface ImageJob {
  readonly file: string;
  readonly channels: 1 | 3;
  readonly transforms: readonly TransformSpec[];
  /** The image's augmentation stream is createRng(seed, ...keys). */
  readonly seed: number;
  readonly keys: readonly StreamKey[];
}

/** Turns image jobs into results (finishJob makes their floats): in this thread, or in a pool of worker processes. */
export interface ImageLoader {
  readonly decoder: DecoderChoice;
  /** Worker processes; 0 for the in-thread loader. */
  readonly workers: number;
  load(job: ImageJob): Promise<JobResult>;
}

function readFailed(file: string, error: unknown): DataError {
  const code = (error as { code?: string }).code;
  return new DataError('io', file, code === 'ENOENT' ? 'image not found' : `cannot read (${reason(error)})`);
}

export async function readImageFile(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    throw readFailed(file, error);
  }
}

/**
 * For a worker process, which has nothing else to do while it reads: one system call where the
 * promise version takes five trips through libuv's thread pool (0.6 against 0.06 ms per photo).
 */
export async function readImageFileInWorker(file: string): Promise<Uint8Array> {
  try {
    return readFileSync(file);
  } catch (error) {
    throw readFailed(file, error);
  }
}

export async function runImageJobToTransfer(
  job: ImageJob,
  decoder: DecoderName,
  read: (file: string) => Promise<Uint8Array> = readImageFile,
): Promise<JobResult> {
  const bytes = await read(job.file);
  const rng = createRng(job.seed, ...job.keys);
  if (decoder === 'js')
    return { image: applyTransforms(job.transforms, decodeImage(bytes, job.file, job.channels), rng) };
  return sharpGeometry(bytes, job.file, job.channels, job.transforms, rng);
}

/** The [C, H, W] shape of a result once finished. */
export function resultShape(job: ImageJob, result: JobResult): [number, number, number] {
  if ('image' in result) return [result.image.channels, result.image.height, result.image.width];
  return [job.channels, result.pixels.height, result.pixels.width];
}

/** The result's floats, written into `out` when given (a batch's slot, of the result's size). */
export function finishJob(job: ImageJob, result: JobResult, out?: Float32Array): Image {
  if ('image' in result) {
    if (!out) return result.image;
    out.set(result.image.data);
    return { ...result.image, data: out };
  }
  const tail = fusableTail(job.transforms.slice(result.tailStart));
  if (!tail) throw new Error(`transforms ${result.tailStart}.. of ${job.file}'s job are not a flip and a normalize`);
  return finishImage(result.pixels, job.channels, tail, result.flipped, out);
}

export async function runImageJob(job: ImageJob, decoder: DecoderName): Promise<Image> {
  return finishJob(job, await runImageJobToTransfer(job, decoder));
}

export function inThreadLoader(decoder: DecoderChoice): ImageLoader {
  return { decoder, workers: 0, load: (job) => runImageJobToTransfer(job, decoder.name) };
}
