/**
 * `npm run bench`: LPT's phase-1 step, phase-2 step and inference on the fixed configuration of
 * bench/config.ts at batch 32 and 128, timed here and, in the same invocation and interleaved
 * round by round, in two independent PyTorch peers (bench/peers.ts); prints img/s, the ratio to
 * the faster peer, nominal and executed GFLOP/s, and the executed GFLOP/s as a share of the
 * machine's sgemm measured at the start. The median round of each counts, and every row carries
 * the load average (the machine is shared). See docs/PERFORMANCE.md for the levers and the numbers.
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
import { executedFlopsPerImage, nominalFlopsPerImage } from './flops.ts';
import { formatMemory, measureMemory } from './memory.ts';
import { createBenchBatch, createLptStep } from './lpt_steps.ts';
import { timeSteps } from './measure.ts';
import { formatLine, formatTable, type Measurement } from './report.ts';
import { closePeers, machineSgemm, startPeers } from './peers.ts';
import { type SgemmResult, TORCH_DEVICE, TORCH_PYTHON, type TorchPeer } from './torch_peer.ts';

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

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const loadNow = () => Number(loadavg()[0]!.toFixed(2));

async function measurePair(
  args: BenchArgs,
  base: SpeedSettings,
  phase: Phase,
  batch: number,
  peers: readonly TorchPeer[],
  sgemm: SgemmResult | null,
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
  const lptSeconds = settings.map((): number[] => []);
  const lptCpu = settings.map((): number[] => []);
  let growth = 0;
  const peerSeconds = peers.map((): number[] => []);
  const peerCpu = peers.map((): number[] => []);
  for (let round = 0; round < args.rounds; round++) {
    const warmup = round === 0 ? args.warmup : 0;
    for (const [i, v] of settings.entries()) {
      configureKernels(v.settings);
      const t = await timeSteps(steps[i]!, warmup, args.steps);
      lptSeconds[i]!.push(t.secondsPerStep);
      lptCpu[i]!.push(t.cpuSecondsPerStep);
      growth = Math.max(growth, t.tensorGrowth);
    }
    configureKernels(base);
    for (const [i, peer] of peers.entries()) {
      const r = await peer.measure({ phase, batch, warmup, steps: args.steps, config: args.config });
      peerSeconds[i]!.push(r.seconds_per_step);
      peerCpu[i]!.push(r.cpu_seconds_per_step);
    }
  }
  const load = loadNow();
  const nominal = nominalFlopsPerImage(phase, config);
  const common = { config: args.config, phase, batch, steps: args.steps, rounds: args.rounds, load };
  const peerRecords = peers.map((peer, i): Measurement => {
    const seconds = median(peerSeconds[i]!);
    return {
      impl: 'torch',
      peer: peer.label,
      ...common,
      img_per_s: batch / seconds,
      gflops: (batch * nominal) / seconds / 1e9,
      seconds_per_step: seconds,
      cpu_seconds_per_step: median(peerCpu[i]!),
    };
  });
  const fastest = peerRecords.reduce<Measurement | null>(
    (a, m) => (a === null || m.img_per_s > a.img_per_s ? m : a),
    null,
  );
  const firstSeconds = median(lptSeconds[0]!);
  settings.forEach((v, i) => {
    const seconds = median(lptSeconds[i]!);
    const executed = (batch * executedFlopsPerImage(phase, config, resolveModelPaths(v.settings))) / seconds / 1e9;
    out({
      impl: 'lpt',
      ...common,
      img_per_s: batch / seconds,
      gflops: (batch * nominal) / seconds / 1e9,
      executed_gflops: executed,
      ...(sgemm === null ? {} : { sgemm_share: executed / sgemm.gflops }),
      seconds_per_step: seconds,
      cpu_seconds_per_step: median(lptCpu[i]!),
      levers: leverRecord(v, args.compare),
      backend,
      tensor_growth: growth,
      ...(args.microBatch === null || phase === 'infer' ? {} : { micro_batch: args.microBatch }),
      ...(fastest === null
        ? {}
        : {
            ratio_to_torch: batch / seconds / fastest.img_per_s,
            torch_peer: fastest.peer,
            cpu_ratio_to_torch: fastest.cpu_seconds_per_step! / median(lptCpu[i]!),
          }),
      ...(args.compare === null ? {} : { gain: firstSeconds / seconds }),
    });
  });
  for (const m of peerRecords) out(m);
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
  const { peers, skipped } = await startPeers(args, addon?.info().blas ?? null);
  for (const reason of skipped) log(reason);
  for (const p of peers)
    log(`PyTorch ${p.version} peer ${p.label}: ${TORCH_PYTHON} on ${TORCH_DEVICE}, 2 threads, ${p.settings}`);
  if (args.memory) {
    try {
      await measureMemory(args, resolveModelPaths(base), peers[0] ?? null, (r) =>
        args.json ? process.stdout.write(`${JSON.stringify(r)}\n`) : log(formatMemory(r)),
      );
    } finally {
      closePeers(peers);
    }
    return;
  }
  const sgemm = await machineSgemm(peers);
  if (sgemm !== null)
    log(
      `machine sgemm ${sgemm.gflops.toFixed(1)} GFLOP/s: torch.mm [${sgemm.shape.join(', ')}] on 2 threads, ` +
        `OpenBLAS core type ${sgemm.corename ?? 'unknown'} (lpt's addon: ${addon?.info().blas ?? 'none'}); load average ${loadNow()}`,
    );
  const all: Measurement[] = [];
  const out = (m: Measurement) => {
    all.push(m);
    if (args.json) process.stdout.write(`${JSON.stringify(m)}\n`);
    else log(formatLine(m));
  };
  try {
    for (const batch of args.batches)
      for (const phase of args.phases) await measurePair(args, base, phase, batch, peers, sgemm, choice.name, out);
  } finally {
    closePeers(peers);
  }
  if (!args.json) log(`\n${formatTable(all, args.compare)}`);
  log(
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

await main();
