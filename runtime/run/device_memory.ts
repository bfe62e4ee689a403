/**
 * How much memory a training step may hold on the active backend, for choosing its micro-batch
 * (micro_batch_choice.ts). wasm keeps every tensor in its heap, at most 4 GiB, and never more
 * than the machine has free; the cpu and tfjs-node backends keep them in the machine's memory;
 * webgpu reports no memory size, only the largest buffer a kernel may bind, which bounds the
 * largest tensor; tfjs-node-gpu reports nothing. A safety factor leaves room for what the
 * estimate does not count (the data pipeline, the UI, fragmentation).
 */
import * as tf from '@tensorflow/tfjs-core';
import { freemem } from 'node:os';

export const SAFETY = 0.8;
const WASM_HEAP = 4 * 2 ** 30;

export interface DeviceMemory {
  /** Bytes a step may hold (after the safety factor), or null when the backend does not say. */
  readonly bytes: number | null;
  /** The largest tensor the backend can hold, or null when only the total bounds it. */
  readonly largestTensor: number | null;
  /** Where the numbers come from, in words. */
  readonly source: string;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;

export function deviceMemory(backend: string, free: number = freemem()): DeviceMemory {
  const safe = `x ${SAFETY} safety`;
  switch (backend) {
    case 'wasm': {
      const heap = Math.min(WASM_HEAP, free);
      const what = heap < WASM_HEAP ? `the machine's free memory (${gib(free)})` : `the wasm heap's 4 GiB`;
      return { bytes: SAFETY * heap, largestTensor: null, source: `${what} ${safe}` };
    }
    case 'cpu':
    case 'node':
      return { bytes: SAFETY * free, largestTensor: null, source: `the machine's free memory (${gib(free)}) ${safe}` };
    case 'webgpu': {
      const limit = webgpuBindingLimit();
      return limit === null
        ? { bytes: null, largestTensor: null, source: 'the WebGPU device reports no limits' }
        : {
            bytes: null,
            largestTensor: limit,
            source: `the WebGPU device's largest storage buffer (${gib(limit)}); it reports no memory size`,
          };
    }
    default:
      return { bytes: null, largestTensor: null, source: `the ${backend} backend reports no memory size` };
  }
}

/** maxStorageBufferBindingSize of the webgpu backend's device, when it is the active backend. */
function webgpuBindingLimit(): number | null {
  const device = (tf.backend() as { device?: { limits?: { maxStorageBufferBindingSize?: number } } }).device;
  return device?.limits?.maxStorageBufferBindingSize ?? null;
}
