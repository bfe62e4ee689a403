import { initBackend } from './runtime/backend/init.ts';
import { resolveModelPaths } from './runtime/model/kernels/paths.ts';
import { nativeAddonSettingsFromEnv, speedSettingsFromEnv } from './runtime/settings_env.ts';
import { BENCH_CONFIGS, benchModelsWithPaths, createBenchModels } from './bench/config.ts';
import { createBenchBatch, createLptStep } from './bench/lpt_steps.ts';
const phase = (process.argv[2] ?? '1') as '1';
const batch = Number(process.argv[3] ?? 32);
const settings = speedSettingsFromEnv(process.env);
await initBackend({ preference: 'wasm', source: 'x', kernels: settings, native: nativeAddonSettingsFromEnv(process.env) });
const models = createBenchModels(BENCH_CONFIGS.small);
const data = await createBenchBatch(batch, BENCH_CONFIGS.small);
const step = createLptStep(benchModelsWithPaths(models, resolveModelPaths(settings)), phase, data);
for (let i = 0; i < 2; i++) await step();
const cpus: number[] = [];
for (let r = 0; r < 5; r++) {
  const c0 = process.cpuUsage();
  for (let i = 0; i < 3; i++) await step();
  const c = process.cpuUsage(c0);
  cpus.push((c.user + c.system) / 1e3 / 3);
}
cpus.sort((a, b) => a - b);
console.log(`lpt phase ${phase} batch ${batch} cpu ms/step median ${cpus[2]!.toFixed(1)} min ${cpus[0]!.toFixed(1)}`);
