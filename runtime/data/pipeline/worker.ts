/**
 * An image worker process: runs image jobs one at a time (so N workers use about N cores, as N
 * DataLoader processes do) and writes each result back as a frame on the pipe at fd 3. Stop
 * signals are the parent's to handle (a Ctrl-C reaches the whole process group): the worker
 * ignores them and ends when its parent goes away.
 */
import { Socket } from 'node:net';
import { configureNativeAddon, DEFAULT_NATIVE_ADDON } from '../../model/kernels/native_addon.ts';
import { isDataError } from '../errors.ts';
import type { DecoderName } from './decoder.ts';
import { loadSharp } from './decoder.ts';
import { errorFrame, resultFrame } from './frames.ts';
import { type ImageJob, readImageFileInWorker, runImageJobToTransfer } from './image_job.ts';
import type { JobRequest, WorkerError } from './protocol.ts';

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => {});
process.on('disconnect', () => process.exit(0));

const decoder = process.argv[2] as DecoderName;
configureNativeAddon({ ...DEFAULT_NATIVE_ADDON, enabled: process.argv[3] !== 'no-native' });
if (decoder === 'sharp') await loadSharp();
const replies = new Socket({ fd: 3, readable: false, writable: true });

function serialise(error: unknown): WorkerError {
  if (isDataError(error))
    return {
      kind: error.kind,
      file: error.file,
      problem: error.problem,
      ...(error.line === undefined ? {} : { line: error.line }),
    };
  return { message: error instanceof Error ? error.message : String(error) };
}

async function handle(request: JobRequest): Promise<void> {
  let frame: [Uint8Array, Uint8Array];
  try {
    frame = resultFrame(
      request.id,
      await runImageJobToTransfer(request.job as ImageJob, decoder, readImageFileInWorker),
    );
  } catch (error) {
    frame = errorFrame(request.id, serialise(error));
  }
  for (const part of frame) replies.write(part);
}

let queue = Promise.resolve();
process.on('message', (request: JobRequest) => {
  queue = queue.then(() => handle(request));
});
