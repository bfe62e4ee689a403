/**
 * The tiny two-phase LPT run of test/helpers/tiny_run.ts on webgpu, as `lpt run` takes it:
 * - GPU memory stays bounded (runtime/backend/gpu_memory.ts): every step event reports the bytes
 *   allocated, and at every step's end they stay under MAX_STEP_BYTES (5 MiB), phase two's under
 *   phase one's peak. Measured on lavapipe: phase one peaks at 4.9 MB (live 57 KB; the short last
 *   batch adds its own sizes, trimmed again a step later), phase two at 2.4 MB; with the pool kept
 *   whole, as tfjs keeps it, phase two reached 6.3 MB. results.json carries the run's peak.
 * - A lost device stops the run with a GpuError that names the resume command and the checkpoint
 *   it continues from (runtime/run/gpu_resume.ts). The device stays lost, so this runs last.
 * Skips, with one line, without a WebGPU adapter.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { Plan } from '../../plan/plan.ts';
import { GpuError } from '../../runtime/backend/gpu_guard.ts';
import { initBackend } from '../../runtime/backend/init.ts';
import { activeWebGpu } from '../../runtime/backend/webgpu_internals.ts';
import type { RunEvent, StepEvent } from '../../runtime/events.ts';
import { runExperiment } from '../../runtime/run/run_experiment.ts';
import { tinyPlans } from '../helpers/tiny_run.ts';
import { webgpuSkipReason } from '../helpers/webgpu.ts';

const skipped = await webgpuSkipReason('test/gpu/webgpu_run.test.ts');
const gpuTest = skipped === null ? test.serial : test.serial.skip;
const backend = { name: 'webgpu', reason: 'the test' };
const MAX_STEP_BYTES = 5 * 2 ** 20;

let lpt: Plan[] = [];
let dir = '';

test.before(async () => {
  if (skipped !== null) return;
  await initBackend({ preference: 'wasm', source: 'the test' }); // tinyPlans writes random weights with dataSync
  const tiny = tinyPlans();
  dir = tiny.dir;
  lpt = tiny.plans.filter((p) => p.variant === null);
  await initBackend({ preference: 'webgpu', source: 'the test' });
});

const allocated = (e: StepEvent) => e.gpuBytes!.live + e.gpuBytes!.pooled;

gpuTest(`two phases on webgpu keep the GPU bytes allocated under ${MAX_STEP_BYTES} at every step`, async (t) => {
  const events: RunEvent[] = [];
  const runDir = join(dir, 'bounded');
  await runExperiment(lpt, { runDir, emit: (e) => events.push(e), backend });
  const steps = events.filter((e): e is StepEvent => e.type === 'step');
  t.true(
    steps.every((e) => e.gpuBytes !== undefined && e.gpuBytes.live > 0),
    'every step event reports GPU bytes',
  );
  const peak = (phase: string) => Math.max(...steps.filter((e) => e.phase === phase).map(allocated));
  t.deepEqual([...new Set(steps.map((e) => e.phase))], ['one', 'two']);
  t.true(peak('one') <= MAX_STEP_BYTES, `phase one peaks at ${peak('one')} bytes`);
  t.true(peak('two') <= peak('one'), `phase two peaks at ${peak('two')} bytes, phase one at ${peak('one')}`);
  const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as {
    variants: { gpuPeakBytes?: number }[];
  };
  t.true((results.variants[0]!.gpuPeakBytes ?? 0) >= peak('one'), JSON.stringify(results.variants[0]!.gpuPeakBytes));
});

gpuTest('a lost device stops the run with a GpuError naming the checkpoint --resume continues from', async (t) => {
  const runDir = join(dir, 'lost');
  const lose = (e: RunEvent) => {
    if (e.type === 'step' && e.phase === 'one' && e.epoch === 1 && e.step === 2)
      (activeWebGpu()!.device as unknown as { destroy(): void }).destroy();
  };
  const error = await t.throwsAsync(runExperiment(lpt, { runDir, emit: lose, backend }), { instanceOf: GpuError });
  const checkpoint = join(runDir, 'checkpoints', 'tiny', 'one-e1-s0.safetensors');
  t.true(existsSync(checkpoint));
  t.true(error.message.includes('the GPU device was lost'), error.message);
  t.true(
    error.message.includes(`\`lpt run --resume ${runDir}\` continues from the checkpoint ${checkpoint}`),
    error.message,
  );
});
