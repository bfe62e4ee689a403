import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../runtime/backend/init.ts';
import { resolveModelPaths } from '../runtime/model/kernels/paths.ts';
import { DEFAULT_SPEED, PLAIN_SPEED } from '../runtime/model/speed.ts';
import { BENCH_CONFIGS, benchModelsWithPaths, createBenchModels } from './config.ts';
import { createBenchBatch, createLptStep } from './lpt_steps.ts';
await initBackend({ preference: process.env.BK ?? 'wasm' });
const config = BENCH_CONFIGS[(process.env.CFG ?? 'small') as 'small'];
const models = createBenchModels(config);
const data = await createBenchBatch(Number(process.env.B ?? 2), config);
const speed = process.env.PLAIN ? PLAIN_SPEED : DEFAULT_SPEED;
const step = createLptStep(
  benchModelsWithPaths(models, resolveModelPaths(speed)),
  (process.env.PHASE ?? '1') as '1',
  data,
);
await step();
const engine = tf.engine() as any;
const { trackTensor, removeDataId } = engine;
const live = new Map<object, [number, string]>();
let now = 0,
  peak = 0;
let snap: Map<string, number> = new Map();
engine.trackTensor = (t: tf.Tensor, backend: unknown) => {
  const fresh = !engine.state.tensorInfo.has(t.dataId);
  trackTensor.call(engine, t, backend);
  if (!fresh) return;
  const bytes = engine.state.tensorInfo.get(t.dataId)?.bytes ?? 0;
  const label = `${t.shape.join('x')}`;
  if (label === (process.env.SHAPE ?? '2x60x576') && !(globalThis as any).shown) {
    (globalThis as any).shown = 1;
    console.log(new Error().stack?.split('\n').slice(1, 14).join('\n'));
  }
  live.set(t.dataId, [bytes, label]);
  now += bytes;
  if (now > peak) {
    peak = now;
    snap = new Map();
    for (const [b, s] of live.values()) snap.set(s, (snap.get(s) ?? 0) + b);
  }
};
engine.removeDataId = (d: object, backend: unknown) => {
  removeDataId.call(engine, d, backend);
  const v = live.get(d);
  if (v && !engine.state.tensorInfo.has(d)) {
    live.delete(d);
    now -= v[0];
  }
};
await step();
console.log('peak MiB', peak / 2 ** 20);
console.log(
  [...snap]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 30)
    .map(
      ([n, b]) =>
        `${n} ${(b / 2 ** 20).toFixed(2)} (${Math.round(b / 4 / n.split('x').reduce((p, c) => p * Number(c), 1))}x)`,
    )
    .join('\n'),
);
