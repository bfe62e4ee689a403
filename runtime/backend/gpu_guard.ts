/**
 * Loud GPU failures. Past a device limit the webgpu backend does not throw: Dawn reports a
 * validation or out-of-memory error to the device's `uncapturederror` event (printing it to
 * stderr), rejects the command buffer, and tfjs goes on reading whatever the output buffers held
 * before (upstream tfjs issue 6507): a wrong number, silently. The guard makes each such failure
 * one GpuError instead:
 * - before a program is recorded, its output and inputs are checked against the storage-binding
 *   limit, and the program is refused, with its name, shapes and bytes, if one is over;
 * - Dawn's first error and a lost device are recorded, and every read of a tensor (every
 *   `await data()`, so every number a run uses) and every step boundary (settleGpu) throws it;
 *   nothing more is recorded on a device that has failed.
 * A run that stops with a GpuError leaves its checkpoints as they were, and its error names the one
 * `lpt run --resume` continues from (runtime/run/gpu_resume.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { UserError } from '../errors.ts';
import {
  activeWebGpu,
  type GpuDeviceLike,
  submitPending,
  type WebGpuBackendLike,
  type WebGpuProgramLike,
} from './webgpu_internals.ts';

export class GpuError extends UserError {
  override readonly name = 'GpuError';
  constructor(
    /** What failed, on which operation, with the sizes and the limit where known. */
    readonly failure: string,
    /** How to continue the run, once the run adds it (runtime/run/gpu_resume.ts). */
    readonly resume: string | null = null,
  ) {
    super(
      `the GPU failed, and the run stopped rather than go on with wrong numbers: ${failure}` +
        (resume === null ? '' : `; ${resume}`),
    );
  }

  withResume(resume: string): GpuError {
    return new GpuError(this.failure, resume);
  }
}

interface Guard {
  failure: string | null;
  /** The last program recorded, named in errors Dawn reports later. */
  lastProgram: string;
}

const guards = new WeakMap<WebGpuBackendLike, Guard>();

const BYTES_PER_ELEMENT = 4; // float32, int32 and bool alike on this backend
const count = (n: number) => n.toLocaleString('en-US');

function describe(program: WebGpuProgramLike, inputs: readonly tf.TensorInfo[]): string {
  const shapes = inputs.map((x) => `[${x.shape.join(', ')}]`).join(', ');
  return `${program.constructor.name} (${shapes} -> [${program.outputShape.join(', ')}])`;
}

/** Refuses a program whose output or an input is larger than one storage binding may be. */
function checkBindings(
  device: GpuDeviceLike,
  program: WebGpuProgramLike,
  inputs: readonly tf.TensorInfo[],
  dtype: tf.DataType,
): void {
  const limit = device.limits.maxStorageBufferBindingSize;
  const tensors = [
    { role: 'output', shape: program.outputShape, dtype },
    ...inputs.map((x, i) => ({ role: `input ${i + 1}`, shape: x.shape, dtype: x.dtype })),
  ];
  for (const { role, shape, dtype } of tensors) {
    const bytes = tf.util.sizeFromShape([...shape]) * BYTES_PER_ELEMENT;
    if (bytes > limit)
      throw new GpuError(
        `${describe(program, inputs)}: its ${role} [${shape.join(', ')}] ${dtype} takes ${count(bytes)} bytes, over this GPU's ` +
          `storage-binding limit (maxStorageBufferBindingSize) of ${count(limit)} bytes; use a smaller batch size`,
      );
  }
}

function throwIfFailed(guard: Guard): void {
  if (guard.failure !== null) throw new GpuError(guard.failure);
}

function firstLine(message: string): string {
  return message.split('\n').find((line) => line.trim() !== '') ?? message;
}

/** Installs the guard on the active webgpu backend, once. */
export function guardWebGpu(): void {
  const backend = activeWebGpu();
  if (backend === null || guards.has(backend)) return;
  const guard: Guard = { failure: null, lastProgram: 'the first program' };
  guards.set(backend, guard);
  const { device } = backend;
  device.addEventListener('uncapturederror', (event) => {
    const kind = event.error.constructor.name === 'GPUOutOfMemoryError' ? 'out of GPU memory' : 'GPU error';
    guard.failure ??= `${kind} at or after ${guard.lastProgram}: ${firstLine(event.error.message)}`;
  });
  void device.lost.then((info) => {
    if (!backend.disposed)
      guard.failure ??= `the GPU device was lost (${info.reason}: ${firstLine(info.message)}) after ${guard.lastProgram}`;
  });

  const run = backend.runWebGPUProgram.bind(backend);
  backend.runWebGPUProgram = (program, inputs, dtype, ...rest) => {
    throwIfFailed(guard);
    checkBindings(device, program, inputs, dtype);
    guard.lastProgram = describe(program, inputs);
    return run(program, inputs, dtype, ...rest);
  };
  const read = backend.read.bind(backend);
  backend.read = async (dataId) => {
    let values;
    try {
      values = await read(dataId);
    } catch (error) {
      await settle(backend, guard); // a lost device fails the read before its `lost` promise settles
      throw error;
    }
    throwIfFailed(guard);
    return values;
  };
}

async function settle(backend: WebGpuBackendLike, guard: Guard): Promise<void> {
  if (guard.failure === null && !backend.disposed) {
    submitPending(backend);
    await Promise.race([backend.device.queue.onSubmittedWorkDone(), backend.device.lost]).catch(() => {});
  }
  throwIfFailed(guard);
}

/**
 * A step boundary: sends the recorded work, waits for the GPU to finish it and throws the first
 * failure, if any. Nothing on other backends.
 */
export async function settleGpu(): Promise<void> {
  const backend = activeWebGpu();
  const guard = backend === null ? undefined : guards.get(backend);
  if (backend !== null && guard !== undefined) await settle(backend, guard);
}
