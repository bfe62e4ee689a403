/**
 * The parts of tfjs-backend-webgpu 4.22's WebGPUBackend that the GPU guard (gpu_guard.ts) and the
 * buffer pool's trimming (gpu_memory.ts) use. None is public API: a tfjs upgrade must review these
 * two files. The types are structural so this project needs no WebGPU type declarations.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface GpuBufferLike {
  readonly size: number;
  readonly usage: number;
  destroy(): void;
}

export interface GpuErrorEventLike {
  readonly error: { readonly message: string; readonly constructor: { readonly name: string } };
}

export interface GpuDeviceLike {
  readonly limits: { readonly maxStorageBufferBindingSize: number; readonly maxBufferSize: number };
  readonly lost: Promise<{ readonly reason: string; readonly message: string }>;
  readonly queue: { onSubmittedWorkDone(): Promise<void> };
  addEventListener(type: 'uncapturederror', listener: (event: GpuErrorEventLike) => void): void;
}

export interface WebGpuProgramLike {
  readonly outputShape: readonly number[];
  readonly shaderKey: string;
}

/** tfjs's BufferManager: freed buffers wait in `freeBuffers`, keyed by `${size}_${usage}`, for reuse. */
export interface BufferManagerLike {
  freeBuffers: Map<string, GpuBufferLike[]>;
  numFreeBuffers: number;
  numBytesUsed: number;
  numBytesAllocated: number;
  acquireBuffer(size: number, usage: number, mappedAtCreation?: boolean, reuse?: boolean): GpuBufferLike;
}

export interface WebGpuBackendLike {
  readonly device: GpuDeviceLike;
  readonly disposed: boolean;
  readonly bufferManager: BufferManagerLike;
  readonly commandEncoder: object | null;
  endComputePassEncoder(): void;
  submitQueue(): void;
  runWebGPUProgram(
    program: WebGpuProgramLike,
    inputs: readonly tf.TensorInfo[],
    dtype: tf.DataType,
    ...rest: unknown[]
  ): tf.TensorInfo;
  read(dataId: object): Promise<tf.BackendValues>;
}

/** The active backend when it is webgpu. */
export function activeWebGpu(): WebGpuBackendLike | null {
  return tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as WebGpuBackendLike) : null;
}

/** Submits the commands tfjs has recorded but not yet sent (it batches them until a read or a count). */
export function submitPending(backend: WebGpuBackendLike): void {
  if (backend.commandEncoder === null) return;
  backend.endComputePassEncoder();
  backend.submitQueue();
}
