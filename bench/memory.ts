/**
 * `npm run bench -- --config vitb16 --memory`: the memory one training step keeps, in bytes per
 * image, on the tfjs side and in the PyTorch peer. tfjs: the peak of the engine's allocation
 * record during the step, counting each tensor buffer the step allocates once (tf.memory().numBytes
 * counts every tensor, so a reshape or a saved clone, which share their input's buffer, would count
 * twice); kernels' own scratch is not in it. PyTorch on CPU: the process's peak resident set during the step
 * over its resident set before it (scripts/bench/torch_step.py, --serve with "memory": true).
 * Each side measures one step at two batch sizes (the peer after one untimed step, for its
 * allocator and thread pools); bytes per image is the slope between them, so what does not grow
 * with the batch (the trainable parameters' gradients, state made on the first step, a BLAS's
 * scratch) is left out on both sides.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BenchArgs } from './args.ts';
import { BENCH_CONFIGS, benchModelsWithPaths, createBenchModels, disposeBenchModels, type Phase } from './config.ts';
import { createBenchBatch, createLptStep, type Step } from './lpt_steps.ts';
import type { TorchPeer } from './torch_peer.ts';
import type { ModelPaths } from '../runtime/model/speed.ts';

export interface MemoryRecord {
  readonly config: string;
  readonly phase: Phase;
  /** The two batch sizes and each side's peak bytes over the bytes before, per batch. */
  readonly batches: readonly [number, number];
  readonly lpt_peak_bytes: readonly [number, number];
  readonly torch_peak_bytes?: readonly [number, number];
  readonly lpt_bytes_per_image: number;
  readonly torch_bytes_per_image?: number;
  readonly ratio_to_torch?: number;
}

/** The parts of tfjs's engine that keep its allocation record (tfjs-core 4.22, its Engine class). */
interface EngineRecord {
  state: { tensorInfo: WeakMap<object, { bytes: number }> };
  trackTensor(t: tf.Tensor, backend: unknown): void;
  removeDataId(dataId: object, backend: unknown): void;
}

/** The most bytes of tensor buffers that one step allocates alive at once. */
export async function stepPeakBytes(step: Step): Promise<number> {
  const engine = tf.engine() as unknown as EngineRecord;
  const { trackTensor, removeDataId } = engine;
  const live = new Map<object, number>();
  let now = 0;
  let peak = 0;
  engine.trackTensor = (t, backend) => {
    const fresh = !engine.state.tensorInfo.has(t.dataId);
    trackTensor.call(engine, t, backend);
    if (!fresh) return;
    const bytes = engine.state.tensorInfo.get(t.dataId)?.bytes ?? 0;
    live.set(t.dataId, bytes);
    now += bytes;
    peak = Math.max(peak, now);
  };
  engine.removeDataId = (dataId, backend) => {
    removeDataId.call(engine, dataId, backend);
    const bytes = live.get(dataId);
    if (bytes === undefined || engine.state.tensorInfo.has(dataId)) return;
    live.delete(dataId);
    now -= bytes;
  };
  try {
    await step();
  } finally {
    // The originals are the prototype's methods: removing the instance's own copies restores them.
    Reflect.deleteProperty(engine, 'trackTensor');
    Reflect.deleteProperty(engine, 'removeDataId');
  }
  return peak;
}

async function lptPeakBytes(args: BenchArgs, paths: ModelPaths, phase: Phase, batch: number): Promise<number> {
  const config = BENCH_CONFIGS[args.config];
  const models = createBenchModels(config);
  const data = await createBenchBatch(batch, config);
  try {
    return await stepPeakBytes(createLptStep(benchModelsWithPaths(models, paths), phase, data));
  } finally {
    data.x.dispose();
    disposeBenchModels(models);
  }
}

const slope = (peaks: readonly [number, number], batches: readonly [number, number]) =>
  (peaks[1] - peaks[0]) / (batches[1] - batches[0]);

/** Phases 1 and 2 at the first two of args.batches (default 1 and 2). */
export async function measureMemory(
  args: BenchArgs,
  paths: ModelPaths,
  torch: TorchPeer | null,
  out: (record: MemoryRecord) => void,
): Promise<void> {
  const batches = [args.batches[0] ?? 1, args.batches[1] ?? 2] as [number, number];
  if (batches[0] === batches[1]) throw new Error('--memory needs two different batch sizes');
  for (const phase of args.phases.filter((p) => p !== 'infer')) {
    const lpt: [number, number] = [0, 0];
    const peer: [number, number] = [0, 0];
    for (const [i, batch] of batches.entries()) {
      lpt[i] = await lptPeakBytes(args, paths, phase, batch);
      if (torch !== null) peer[i] = (await torch.peakBytes({ phase, batch, config: args.config })).peak_bytes;
    }
    const lptPerImage = slope(lpt, batches);
    const torchPerImage = torch === null ? null : slope(peer, batches);
    out({
      config: args.config,
      phase,
      batches,
      lpt_peak_bytes: lpt,
      lpt_bytes_per_image: lptPerImage,
      ...(torchPerImage === null
        ? {}
        : {
            torch_peak_bytes: peer,
            torch_bytes_per_image: torchPerImage,
            ratio_to_torch: lptPerImage / torchPerImage,
          }),
    });
  }
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

export function formatMemory(r: MemoryRecord): string {
  const torch =
    r.torch_bytes_per_image === undefined
      ? 'torch not run'
      : `torch ${mib(r.torch_bytes_per_image)} per image (peak RSS ${r.torch_peak_bytes!.map(mib).join(', ')}); lpt/torch ${r.ratio_to_torch!.toFixed(2)}`;
  return `memory ${r.config} phase ${r.phase}, batches ${r.batches.join(' and ')}: lpt ${mib(r.lpt_bytes_per_image)} per image (peak tensors ${r.lpt_peak_bytes.map(mib).join(', ')}); ${torch}`;
}
