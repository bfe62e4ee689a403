/**
 * Tensors are read with `await data()` / `await array()` in the runtime, the benchmark and the CLI:
 * the webgpu backend has no synchronous read in Node (dataSync, arraySync and bufferSync need
 * OffscreenCanvas), so one synchronous read anywhere on a run's path fails a webgpu run.
 */
import test from 'ava';
import { code, sources } from '../helpers/sources.ts';

test('no synchronous tensor read in runtime/, bench/ or cli/', (t) => {
  const reading = [...sources('runtime'), ...sources('bench'), ...sources('cli')].filter((f) =>
    /\.(dataSync|arraySync|bufferSync)\(/.test(code(f).replace(/\/\/.*$/gm, '')),
  );
  t.deepEqual(reading, []);
});
