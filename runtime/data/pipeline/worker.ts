/**
 * An image worker thread: runs image jobs one at a time (so N workers use about N cores, as N
 * DataLoader processes do) and posts each image back, its pixels transferred rather than copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isDataError } from '../errors.ts';
import type { DecoderName } from './decoder.ts';
import { loadSharp } from './decoder.ts';
import { type ImageJob, readImageFileInWorker, runImageJob } from './image_job.ts';
import type { JobReply, JobRequest, WorkerError } from './protocol.ts';

const decoder = (workerData as { decoder: DecoderName }).decoder;
if (decoder === 'sharp') await loadSharp();

function serialise(error: unknown): WorkerError {
  if (isDataError(error)) return { kind: error.kind, file: error.file, problem: error.problem, ...(error.line === undefined ? {} : { line: error.line }) };
  return { message: error instanceof Error ? error.message : String(error) };
}

async function handle(request: JobRequest): Promise<void> {
  let reply: JobReply;
  try {
    const image = await runImageJob(request.job as ImageJob, decoder, readImageFileInWorker);
    const own = image.data.byteOffset === 0 && image.data.byteLength === image.data.buffer.byteLength ? image.data : image.data.slice();
    reply = { id: request.id, image: { data: own, channels: image.channels, height: image.height, width: image.width } };
    parentPort!.postMessage(reply, [own.buffer as ArrayBuffer]);
    return;
  } catch (error) {
    reply = { id: request.id, error: serialise(error) };
  }
  parentPort!.postMessage(reply);
}

let queue = Promise.resolve();
parentPort!.on('message', (request: JobRequest) => {
  queue = queue.then(() => handle(request));
});
