/**
 * A pool of image worker threads. Jobs queue in order and go to the least busy worker, at most
 * two in flight per worker (one decoding, one waiting, so a worker never idles on a message).
 * Workers are unreferenced while idle, so an unclosed pool never keeps the process alive; a
 * worker that crashes fails its jobs with the reason and is replaced.
 */
import { Worker } from 'node:worker_threads';
import { DataError, reason } from '../errors.ts';
import type { Image } from '../image.ts';
import { type DecoderChoice, loadSharp } from './decoder.ts';
import type { ImageJob, ImageLoader } from './image_job.ts';
import type { JobReply, WorkerError } from './protocol.ts';

const ENTRY = new URL('./worker_entry.mjs', import.meta.url);
const IN_FLIGHT_PER_WORKER = 2;

export interface ImagePool extends ImageLoader {
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

interface Pending {
  readonly job: ImageJob;
  readonly resolve: (image: Image) => void;
  readonly reject: (error: Error) => void;
  slot?: Slot;
}

function toError(error: WorkerError): Error {
  if ('message' in error) return new Error(error.message);
  return new DataError(error.kind, error.file, error.problem, error.line);
}

export async function startImagePool(size: number, decoder: DecoderChoice): Promise<ImagePool> {
  if (!(Number.isInteger(size) && size > 0)) throw new Error(`an image pool needs a positive whole number of workers, got ${size}`);
  // sharp's native module must be loaded by the main thread before any worker loads it.
  if (decoder.name === 'sharp') await loadSharp();
  const pending = new Map<number, Pending>();
  const queue: number[] = [];
  let nextId = 0;
  let closed = false;
  const slots: Slot[] = [];

  function settle(slot: Slot, id: number): Pending | undefined {
    const job = pending.get(id);
    pending.delete(id);
    slot.inFlight -= 1;
    if (slot.inFlight === 0) slot.worker.unref();
    return job;
  }

  function spawn(): Slot {
    const worker = new Worker(ENTRY, { workerData: { decoder: decoder.name }, execArgv: [] });
    worker.unref();
    const slot: Slot = { worker, inFlight: 0 };
    worker.on('message', (reply: JobReply) => {
      const job = settle(slot, reply.id);
      if ('image' in reply) job?.resolve(reply.image);
      else job?.reject(toError(reply.error));
      pump();
    });
    worker.on('error', (error) => crashed(slot, error));
    worker.on('exit', (code) => {
      if (!closed) crashed(slot, new Error(`exited with code ${code}`));
    });
    return slot;
  }

  function crashed(slot: Slot, error: unknown): void {
    const index = slots.indexOf(slot);
    if (index < 0) return;
    for (const [id, job] of pending) {
      if (job.slot !== slot) continue;
      settle(slot, id);
      job.reject(new Error(`an image worker thread failed while loading ${job.job.file}: ${reason(error)}`));
    }
    void slot.worker.terminate();
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
      if (slot.inFlight === 0) slot.worker.ref();
      slot.inFlight += 1;
      slot.worker.postMessage({ id, job: job.job });
    }
  }

  for (let i = 0; i < size; i++) slots.push(spawn());
  return {
    decoder,
    workers: size,
    load(job) {
      if (closed) return Promise.reject(new Error('the image pool is closed'));
      return new Promise<Image>((resolve, reject) => {
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
      // A worker busy in native code exits only when that call returns, and a terminating worker
      // no longer keeps the event loop alive: hold it open until every worker has exited.
      const keepAlive = setInterval(() => undefined, 1000);
      try {
        await Promise.all(slots.map((s) => s.worker.terminate()));
      } finally {
        clearInterval(keepAlive);
      }
    },
  };
}
