/**
 * Loud GPU failures (runtime/backend/gpu_guard.ts) on a real WebGPU device: an output over the
 * storage-binding limit is refused before anything runs, naming the program, the sizes and the
 * limit; after an allocation Dawn rejects, every read throws instead of returning what a buffer
 * held before, and no more work is recorded. The allocation failure poisons the device for good, so it runs last. Skips, with
 * one line, without a WebGPU adapter.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { GpuError } from '../../runtime/backend/gpu_guard.ts';
import { initBackend } from '../../runtime/backend/init.ts';
import { activeWebGpu } from '../../runtime/backend/webgpu_internals.ts';
import { webgpuSkipReason } from '../helpers/webgpu.ts';

const skipped = await webgpuSkipReason('test/gpu/webgpu_failures.test.ts');
const gpuTest = skipped === null ? test.serial : test.serial.skip;
const count = (n: number) => n.toLocaleString('en-US');

test.before(async () => {
  if (skipped === null) await initBackend({ preference: 'webgpu', source: 'the test' });
});

gpuTest('an output over the storage-binding limit is refused, naming the program, sizes and limit', (t) => {
  const limit = activeWebGpu()!.device.limits.maxStorageBufferBindingSize;
  const row = tf.ones([1, 2000]); // large enough to run on the GPU, not handed to the CPU
  const rows = Math.ceil(limit / (2000 * 4)) + 1;
  const before = tf.memory().numTensors;
  const error = t.throws(() => tf.tidy(() => tf.tile(row, [rows, 1])), { instanceOf: GpuError });
  t.regex(error.message, /TileProgram \(\[1, 2000\] -> \[\d+, 2000\]\)/);
  t.true(error.message.includes(`${count(rows * 2000 * 4)} bytes`), error.message);
  t.true(error.message.includes(`maxStorageBufferBindingSize) of ${count(limit)} bytes`), error.message);
  t.is(tf.memory().numTensors, before, 'no tensor leaks');
  row.dispose();
});

gpuTest('the device still computes right after a refused program', async (t) => {
  const x = tf.fill([2000], 3);
  const y = tf.mul(x, 2);
  const values = await y.data();
  t.true(values.every((v) => v === 6));
  tf.dispose([x, y]);
});

gpuTest('an allocation the GPU rejects stops every later read and program, naming the size and limit', async (t) => {
  const backend = activeWebGpu()!;
  const x = tf.fill([2000], 1);
  const y = tf.add(x, 1);
  t.deepEqual(Array.from((await y.data()).slice(0, 2)), [2, 2]);
  const pending = tf.add(x, 2); // recorded, not yet read
  const tooLarge = backend.device.limits.maxBufferSize + 4;
  backend.bufferManager.acquireBuffer(tooLarge, 0x80 /* GPUBufferUsage.STORAGE */);
  const error = await t.throwsAsync(pending.data(), { instanceOf: GpuError });
  t.true(error.message.includes(`Buffer size (${tooLarge}) exceeds the max buffer size limit`), error.message);
  t.throws(() => tf.add(x, 3), { instanceOf: GpuError }, 'a failed device takes no more work');
  tf.dispose([x, y, pending]);
});
