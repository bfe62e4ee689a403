/** Messages between the image pool and its worker threads (structured-clone plain data). */
import type { DataErrorKind } from '../errors.ts';
import type { Image } from '../image.ts';
import type { ImageJob } from './image_job.ts';

export interface JobRequest {
  readonly id: number;
  readonly job: ImageJob;
}

/** A DataError's fields, or another error's message. */
export type WorkerError =
  | { readonly kind: DataErrorKind; readonly file: string; readonly problem: string; readonly line?: number }
  | { readonly message: string };

export type JobReply = { readonly id: number; readonly image: Image } | { readonly id: number; readonly error: WorkerError };
