/**
 * A pool of image worker processes, as torch's DataLoader has: libvips runs one pipeline at a time
 * per process well, but two processes' worth of images in one process's threads cost about 1.8x
 * the time (measured in docs/PERFORMANCE.md). Jobs go out as IPC messages to the least busy
 * worker, up to eight in flight per worker (so a worker keeps decoding while the main thread
 * assembles a batch); images come back as frames on a pipe (frames.ts). Workers are unreferenced
 * while idle, so an unclosed pool never keeps the process alive; a worker that dies fails its
 * jobs with the reason and is replaced; a worker whose parent dies exits.
 */
import { type ChildProcess, fork } from 'node:child_process';
import type { Readable } from 'node:stream';
import { DataError, reason } from '../errors.ts';
import type { DecoderChoice } from './decoder.ts';
import { type Frame, FrameReader } from './frames.ts';
import type { ImageJob, ImageLoader } from './image_job.ts';
import type { JobResult } from './job_result.ts';
import type { WorkerError } from './protocol.ts';

const ENTRY = new URL('./worker_entry.mjs', import.meta.url);
const IN_FLIGHT_PER_WORKER = 8;

export interface ImagePool extends ImageLoader {
  close(): Promise<void>;
}

interface Slot {
  worker: ChildProcess;
  inFlight: number;
}

/** Whether `worker` (its process, IPC channel and reply pipe) keeps the event loop alive. */
function hold(worker: ChildProcess, on: boolean): void {
  const handles = [worker, worker.channel, worker.stdio[3] as Readable & { ref(): void; unref(): void }];
  for (const handle of handles) {
    if (on) handle?.ref();
    else handle?.unref();
  }
}

interface Pending {
  readonly job: ImageJob;
  readonly resolve: (result: JobResult) => void;
  readonly reject: (error: Error) => void;
  slot?: Slot;
}

function toError(error: WorkerError): Error {
  if ('message' in error) return new Error(error.message);
  return new DataError(error.kind, error.file, error.problem, error.line);
}

export async function startImagePool(size: number, decoder: DecoderChoice): Promise<ImagePool> {
  if (!(Number.isInteger(size) && size > 0))
    throw new Error(`an image pool needs a positive whole number of workers, got ${size}`);
  const pending = new Map<number, Pending>();
  const queue: number[] = [];
  let nextId = 0;
  let closed = false;
  const slots: Slot[] = [];

  function settle(slot: Slot, id: number): Pending | undefined {
    const job = pending.get(id);
    pending.delete(id);
    slot.inFlight -= 1;
    if (slot.inFlight === 0) hold(slot.worker, false);
    return job;
  }

  function spawn(): Slot {
    // Anything a worker prints goes to stderr: stdout may be the run's --json event stream.
    const worker = fork(ENTRY, [decoder.name], { execArgv: [], stdio: ['ignore', 2, 2, 'pipe', 'ipc'] });
    const slot: Slot = { worker, inFlight: 0 };
    const frames = new FrameReader((frame: Frame) => {
      const job = settle(slot, frame.id);
      if ('error' in frame) job?.reject(toError(frame.error));
      else job?.resolve(frame.result);
      pump();
    });
    (worker.stdio[3] as Readable).on('data', (chunk: Uint8Array) => frames.push(chunk));
    worker.on('error', (error) => crashed(slot, error));
    worker.on('exit', (code, signal) => {
      if (!closed) crashed(slot, new Error(`exited with ${signal ?? `code ${code}`}`));
    });
    hold(worker, false);
    return slot;
  }

  function crashed(slot: Slot, error: unknown): void {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    for (const [id, job] of pending) {
      if (job.slot !== slot) continue;
      settle(slot, id);
      job.reject(new Error(`an image worker process failed while loading ${job.job.file}: ${reason(error)}`));
    }
    slot.worker.kill('SIGKILL');
    slots[index] = spawn();
    pump();
  }

  function pump(): void {
    while (queue.length > 0) {
      const slot = slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      if (slot.inFlight >= IN_FLIGHT_PER_WORKER) return;
      const id = queue.shift()!;
      const job = pending.get(id)!;
      job.slot = slot;
      if (slot.inFlight === 0) hold(slot.worker, true);
      slot.inFlight += 1;
      slot.worker.send({ id, job: job.job });
    }
  }

  for (let i = 0; i < size; i++) slots.push(spawn());
  return {
    decoder,
    workers: size,
    load(job) {
      if (closed) return Promise.reject(new Error('the image pool is closed'));
      return new Promise<JobResult>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { job, resolve, reject });
        queue.push(id);
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of pending.values()) job.reject(new Error('the image pool was closed'));
      pending.clear();
      queue.length = 0;
      await Promise.all(
        slots.map(({ worker }) => {
          if (worker.exitCode !== null || worker.signalCode !== null) return undefined;
          hold(worker, true);
          const exited = new Promise((resolve) => worker.once('exit', resolve));
          worker.kill('SIGKILL'); // it holds nothing worth a clean exit, and ignores the stop signals
          return exited;
        }),
      );
    },
  };
}
