/**
 * Measures the memory one training step holds, per phase of an experiment's first plan, against
 * the budget's estimate (`lpt compile --summary`):
 *   npx tsx scripts/step_memory.ts experiments/quickstart.lpt [--batches 1,2] [--backend wasm]
 * Per image: the peak of tfjs's allocation record at two batch sizes (scripts/measure_step_memory.ts).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { measureBytesPerImage } from '../scripts/measure_step_memory.ts';
import { nodeCompilerHost } from '../compiler/node_host.ts';
import { compile } from '../compiler/compile.ts';
import { phaseBytesPerImage } from '../compiler/plan/budget.ts';
import { initBackend } from '../runtime/backend/init.ts';
import { modelPathOf } from '../runtime/model/memory_path.ts';
import { resolveModelPaths } from '../runtime/model/kernels/paths.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { batches: { type: 'string', default: '1,2' }, backend: { type: 'string', default: 'wasm' } },
});
const file = positionals[0];
if (file === undefined) throw new Error('usage: tsx scripts/step_memory.ts FILE.lpt [--batches 1,2] [--backend wasm]');
const [small, large] = values.batches.split(',').map(Number) as [number, number];
const result = compile(resolve(file), nodeCompilerHost(process.cwd()));
const plan = result.plans[0];
if (plan === undefined) throw new Error(`${file}: no plan (${result.diagnostics.map((d) => d.message).join('; ')})`);
const backend = await initBackend({ preference: values.backend, source: '--backend' });
const path = modelPathOf(resolveModelPaths());
console.log(`${plan.name} on ${backend.name} (${path} path), batches ${small} and ${large} per stream`);
for (const [i, phase] of plan.phases.entries()) {
  const started = performance.now();
  const m = await measureBytesPerImage(plan, i, [small, large]);
  const estimate = phaseBytesPerImage(plan.backbones, plan.modules, phase, path);
  console.log(
    `  phase ${phase.name}: measured ${(m.bytesPerImage / 2 ** 20).toFixed(1)} MiB per image (peaks ${(m.small.peakBytes / 2 ** 20).toFixed(0)} and ${(m.large.peakBytes / 2 ** 20).toFixed(0)} MiB), estimate ${(estimate / 2 ** 20).toFixed(1)} MiB (${((100 * estimate) / m.bytesPerImage).toFixed(0)}%), ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
