/**
 * `npx tsx bench/profile.ts [--phase 1|2|infer] [--batch N] [--steps N] [--attention ...]`:
 * where one LPT step's time goes, by kernel. Runs the benchmark's step under tf.profile and sums
 * each kernel's wall time (the wasm backend is synchronous, so a kernel's time is its own work
 * plus tfjs's bookkeeping around it). A custom-gradient op appears under its scope name with
 * the time of the kernels inside it included; those kernels are listed too, so the rows do not
 * add up to the step. Same flags as the bench for the levers.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../runtime/backend/init.ts';
import { resolveModelPaths } from '../runtime/model/kernels/paths.ts';
import type { SpeedSettings } from '../runtime/model/speed.ts';
import { nativeAddonSettingsFromEnv, speedSettingsFromEnv } from '../runtime/settings_env.ts';
import { parseBenchArgs } from './args.ts';
import { BENCH_CONFIGS, benchModelsWithPaths, createBenchModels, disposeBenchModels } from './config.ts';
import { createBenchBatch, createLptStep } from './lpt_steps.ts';

interface Row {
  count: number;
  ms: number;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const take = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    if (i < 0) return fallback;
    const [, value] = argv.splice(i, 2);
    return value ?? fallback;
  };
  const phase = take('--phase', '1') as '1' | '2' | 'infer';
  const batch = Number(take('--batch', '32'));
  const steps = Number(take('--steps', '1'));
  const args = parseBenchArgs(argv);
  const settings: SpeedSettings = { ...speedSettingsFromEnv(process.env), ...args.levers };
  await initBackend({
    preference: args.backend ?? process.env.LPT_BACKEND ?? 'auto',
    source: args.backend !== null ? '--backend' : 'LPT_BACKEND',
    kernels: settings,
    native: nativeAddonSettingsFromEnv(process.env),
  });
  const config = BENCH_CONFIGS[args.config];
  const models = createBenchModels(config);
  const data = await createBenchBatch(batch, config);
  const step = createLptStep(benchModelsWithPaths(models, resolveModelPaths(settings)), phase, data);
  await step();
  const rows = new Map<string, Row>();
  let wall = 0;
  for (let i = 0; i < steps; i++) {
    const start = performance.now();
    const info = await tf.profile(() => step());
    wall += performance.now() - start;
    for (const k of info.kernels) {
      const shapes = k.inputShapes.map((s) => `[${s?.join(',')}]`);
      const key = `${k.name} ${shapes.length > 4 ? `${shapes[0]} x${shapes.length}` : shapes.join(' ')}`;
      const row = rows.get(key) ?? { count: 0, ms: 0 };
      row.count += 1;
      row.ms += Number(k.kernelTimeMs);
      rows.set(key, row);
    }
  }
  const byName = new Map<string, Row>();
  for (const [key, row] of rows) {
    const name = key.split(' ')[0]!;
    const r = byName.get(name) ?? { count: 0, ms: 0 };
    r.count += row.count;
    r.ms += row.ms;
    byName.set(name, r);
  }
  const print = (title: string, m: Map<string, Row>, limit: number) => {
    process.stdout.write(`\n${title}\n`);
    [...m.entries()]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, limit)
      .forEach(([k, r]) => {
        process.stdout.write(
          `${(r.ms / steps).toFixed(1).padStart(9)} ms ${String(r.count / steps).padStart(6)}x  ${k}\n`,
        );
      });
  };
  process.stdout.write(
    `phase ${phase}, batch ${batch}, levers ${JSON.stringify(settings)}: ${(wall / steps).toFixed(0)} ms per profiled step\n`,
  );
  print('by kernel', byName, 40);
  print('by kernel and input shapes', rows, 40);
  data.x.dispose();
  disposeBenchModels(models);
}

await main();
