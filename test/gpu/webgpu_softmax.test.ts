/**
 * tfjs's webgpu Softmax beyond 65,535 rows (runtime/model/kernels/webgpu_softmax.ts): [70000, 16]
 * on webgpu against wasm's Softmax, every row, the last one included (the one spare workgroups
 * overwrote). Dawn is told to clamp out-of-bounds accesses, as it does on GPUs without
 * robustBufferAccess2 (lavapipe has it, and would drop the stray writes). Skips, with one line,
 * without a WebGPU adapter.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../runtime/backend/init.ts';
import { webgpuSkipReason } from '../helpers/webgpu.ts';

const DAWN_FLAGS = ['disable-dawn-features=vulkan_use_buffer_robust_access_2'];
const skipped = await webgpuSkipReason('test/gpu/webgpu_softmax.test.ts', DAWN_FLAGS);
const gpuTest = skipped === null ? test.serial : test.serial.skip;

const ROWS = 70_000;
const COLS = 16;

function logits(): Float32Array {
  const values = new Float32Array(ROWS * COLS);
  for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 0.37) * 4 + ((i * 7919) % 13) / 5;
  return values;
}

async function softmaxOn(backend: string, values: Float32Array): Promise<Float32Array> {
  await initBackend({ preference: backend, source: 'the test', dawnFlags: DAWN_FLAGS });
  const x = tf.tensor2d(values, [ROWS, COLS]);
  const y = tf.softmax(x);
  try {
    return (await y.data()) as Float32Array;
  } finally {
    tf.dispose([x, y]);
  }
}

function worstRow(a: Float32Array, b: Float32Array): { row: number; diff: number } {
  let worst = { row: -1, diff: 0 };
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs(a[i]! - b[i]!);
    if (diff > worst.diff) worst = { row: Math.floor(i / COLS), diff };
  }
  return worst;
}

gpuTest(`Softmax of [${ROWS}, ${COLS}] on webgpu matches wasm in every row`, async (t) => {
  const values = logits();
  const expected = await softmaxOn('wasm', values);
  const actual = await softmaxOn('webgpu', values);
  const worst = worstRow(actual, expected);
  t.true(worst.diff < 1e-6, `row ${worst.row} differs by ${worst.diff}`);
  const last = (ROWS - 1) * COLS;
  t.deepEqual(
    Array.from(actual.subarray(last), (v) => v.toFixed(6)),
    Array.from(expected.subarray(last), (v) => v.toFixed(6)),
  );
});
