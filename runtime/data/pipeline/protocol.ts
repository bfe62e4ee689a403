/** Messages between the image pool and its worker processes: jobs out as IPC messages, errors back in frames (frames.ts). */
import type { DataErrorKind } from '../errors.ts';
import type { ImageJob } from './image_job.ts';

export interface JobRequest {
  readonly id: number;
  readonly job: ImageJob;
}

/** A DataError's fields, or another error's message. */
export type WorkerError =
  | { readonly kind: DataErrorKind; readonly file: string; readonly problem: string; readonly line?: number }
  | { readonly message: string };
