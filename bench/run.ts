/**
 * `npm run bench`: LPT's phase-1 step, phase-2 step and inference on the fixed configuration of
 * bench/config.ts at batch 32 and 128, timed here and, in the same invocation and interleaved
 * round by round, in the PyTorch peer; prints img/s, achieved GFLOP/s and the ratio lpt/torch.
 * The best round of each counts (the machine is shared; the best is the least disturbed).
 * See docs/PERFORMANCE.md for the levers and the numbers.
 */
import { loadavg } from 'node:os';
import { initBackend } from '../runtime/backend/init.ts';
import { configureKernels } from '../runtime/model/kernels/install.ts';
import { effectivePaths, resolveModelPaths } from '../runtime/model/kernels/paths.ts';
import { nativeAddon, nativeAddonProblem } from '../runtime/model/kernels/native_addon.ts';
import { DEFAULT_SPEED, PLAIN_SPEED, type SpeedSettings } from '../runtime/model/speed.ts';
import { dawnFlagsFromEnv, nativeAddonSettingsFromEnv, speedSettingsFromEnv } from '../runtime/settings_env.ts';
import { BenchArgsError, type BenchArgs, leverChoices, parseBenchArgs } from './args.ts';
import { BENCH_CONFIGS, benchModelsWithPaths, createBenchModels, disposeBenchModels, type Phase } from './config.ts';
import { flopsPerImage } from './flops.ts';
import { formatMemory, measureMemory } from './memory.ts';
import { createBenchBatch, createLptStep } from './lpt_steps.ts';
import { timeSteps } from './measure.ts';
import { formatLine, formatTable, type Measurement } from './report.ts';
import { startTorchPeer, TORCH_DEVICE, TORCH_PYTHON, type TorchPeer } from './torch_peer.ts';

interface Variant {
  readonly settings: SpeedSettings;
  readonly queryCache: boolean;
}

function variants(args: BenchArgs, settings: SpeedSettings): Variant[] {
  const base = { settings, queryCache: args.queryCache };
  const lever = args.compare;
  if (lever === null) return [base];
  // The plain path (last choice) first, so every gain is over it; 'auto' is one of the others.
  return [...leverChoices(lever)]
    .filter((c) => c !== 'auto')
    .reverse()
    .map((choice): Variant => {
      if (lever === 'queryCache') return { ...base, queryCache: choice === 'on' };
      if (lever === 'all') return { ...base, settings: choice === 'plain' ? PLAIN_SPEED : DEFAULT_SPEED };
      return { ...base, settings: { ...base.settings, [lever]: choice } };
    });
}

function leverRecord(v: Variant, compare: string | null): Record<string, string> {
  const all: Record<string, string> =
    compare === 'all' ? { all: v.settings === PLAIN_SPEED ? 'plain' : 'default' } : {};
  return {
    ...effectivePaths(resolveModelPaths(v.settings), v.settings),
    queryCache: v.queryCache ? 'on' : 'off',
    ...all,
  };
}

async function measurePair(
  args: BenchArgs,
  base: SpeedSettings,
  phase: Phase,
  batch: number,
  torch: TorchPeer | null,
  backend: string,
  out: (m: Measurement) => void,
): Promise<void> {
  const config = BENCH_CONFIGS[args.config];
  const models = createBenchModels(config);
  const data = await createBenchBatch(batch, config);
  const settings = variants(args, base);
  const steps = settings.map((v) =>
    createLptStep(
      benchModelsWithPaths(models, resolveModelPaths(v.settings)),
      phase,
      data,
      v.queryCache,
      args.microBatch,
    ),
  );
  const best = settings.map(() => ({ seconds: Infinity, growth: 0 }));
  let torchBest = Infinity;
  for (let round = 0; round < args.rounds; round++) {
    const warmup = round === 0 ? args.warmup : 0;
    for (const [i, v] of settings.entries()) {
      configureKernels(v.settings);
      const t = await timeSteps(steps[i]!, warmup, args.steps);
      best[i] = {
        seconds: Math.min(best[i]!.seconds, t.secondsPerStep),
        growth: Math.max(best[i]!.growth, t.tensorGrowth),
      };
    }
    configureKernels(base);
    if (torch !== null)
      torchBest = Math.min(
        torchBest,
        (await torch.measure({ phase, batch, warmup, steps: args.steps, config: args.config })).seconds_per_step,
      );
  }
  const flops = flopsPerImage(phase, config);
  const record = (impl: 'lpt' | 'torch', seconds: number): Measurement => ({
    impl,
    config: args.config,
    phase,
    batch,
    img_per_s: batch / seconds,
    gflops: (batch * flops) / seconds / 1e9,
    seconds_per_step: seconds,
    steps: args.steps,
    rounds: args.rounds,
  });
  const torchRecord = torch === null ? null : record('torch', torchBest);
  settings.forEach((v, i) => {
    const m = record('lpt', best[i]!.seconds);
    out({
      ...m,
      levers: leverRecord(v, args.compare),
      backend,
      tensor_growth: best[i]!.growth,
      ...(args.microBatch === null || phase === 'infer' ? {} : { micro_batch: args.microBatch }),
      ...(torchRecord === null ? {} : { ratio_to_torch: m.img_per_s / torchRecord.img_per_s }),
      ...(args.compare === null ? {} : { gain: best[0]!.seconds / best[i]!.seconds }),
    });
  });
  if (torchRecord !== null) out(torchRecord);
  data.x.dispose();
  disposeBenchModels(models);
}

async function main(): Promise<void> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof BenchArgsError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const base: SpeedSettings = { ...speedSettingsFromEnv(process.env), ...args.levers };
  const preference = args.backend ?? process.env.LPT_BACKEND ?? 'auto';
  const source =
    args.backend !== null ? '--backend' : process.env.LPT_BACKEND !== undefined ? 'LPT_BACKEND' : 'default';
  const choice = await initBackend({
    preference,
    source,
    kernels: base,
    native: nativeAddonSettingsFromEnv(process.env),
    dawnFlags: dawnFlagsFromEnv(process.env),
  });
  // With --json, stdout carries only the JSON lines; the notes go to stderr.
  const log = (line: string) => (args.json ? process.stderr : process.stdout).write(`${line}\n`);
  const addon = nativeAddon();
  log(`backend ${choice.name} (${choice.reason}); configuration ${args.config} (batches ${args.batches.join(', ')})`);
  if (choice.name !== 'wasm') log(`native addon: not used on ${choice.name} (its kernels work on the wasm heap)`);
  else
    log(
      addon === null
        ? `native addon: none (${nativeAddonProblem()})`
        : `native addon: BLAS ${addon.info().blas}, ${addon.info().threads} threads`,
    );
  log(
    `levers ${JSON.stringify({ ...effectivePaths(resolveModelPaths(base), base), queryCache: args.queryCache ? 'on' : 'off' })}; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const started = args.torch ? await startTorchPeer() : null;
  const torch = started?.ok ? started.peer : null;
  if (started && !started.ok) log(started.reason);
  if (torch)
    log(`PyTorch ${torch.version} peer: ${TORCH_PYTHON} on ${TORCH_DEVICE}, 2 threads, OMP_WAIT_POLICY=passive`);
  if (args.memory) {
    try {
      await measureMemory(args, resolveModelPaths(base), torch, (r) =>
        args.json ? process.stdout.write(`${JSON.stringify(r)}\n`) : log(formatMemory(r)),
      );
    } finally {
      torch?.close();
    }
    return;
  }
  const all: Measurement[] = [];
  const out = (m: Measurement) => {
    all.push(m);
    if (args.json) process.stdout.write(`${JSON.stringify(m)}\n`);
    else log(formatLine(m));
  };
  try {
    for (const batch of args.batches)
      for (const phase of args.phases) await measurePair(args, base, phase, batch, torch, choice.name, out);
  } finally {
    torch?.close();
  }
  if (!args.json) log(`\n${formatTable(all, args.compare)}`);
  log(
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

await main();
