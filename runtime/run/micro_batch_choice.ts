/**
 * The preflight of a run, before any data loads: the micro-batch each phase's step will use
 * (runtime/train/micro_batch.ts) and why, or a refusal with the numbers when a phase cannot fit
 * one image per stream. The step holds the frozen backbone's weights (two copies of each linear
 * layer, runtime/model/frozen_linear.ts), the trainable parameters with their gradients and two optimiser
 * slots, and per image what the plan's budget estimates on this model path (bytesPerImage).
 * A micro-batch written by hand (`--micro-batch N`, then `micro_batch N` in the plan) wins over
 * the estimate; without either, the largest micro-batch that fits the device's memory
 * (device_memory.ts), the whole batch when that fits.
 */
import type { Plan, PlanModelPath } from '../../plan/plan.ts';
import { UserError } from '../errors.ts';
import { resolveModelPaths } from '../model/kernels/paths.ts';
import { modelPathOf } from '../model/memory_path.ts';
import type { RuntimeSettings } from '../settings.ts';
import { deviceMemory, type DeviceMemory } from './device_memory.ts';

export interface MicroBatchChoice {
  readonly phase: string;
  readonly batch: number;
  /** Images per stream in one forward and backward pass. */
  readonly microBatch: number;
  /** Why, in words, for the run header. */
  readonly reason: string;
}

export class MemoryError extends UserError {
  override readonly name = 'MemoryError';
}

/** Bytes per parameter: frozen weights twice (float32), trainable ones with gradient and two slots. */
const FROZEN_BYTES = 8;
const TRAINABLE_BYTES = 16;

const mib = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.ceil(bytes / 2 ** 20)} MiB`;

export function chooseMicroBatches(
  plan: Plan,
  device: DeviceMemory,
  path: PlanModelPath,
  override?: number,
): MicroBatchChoice[] {
  return plan.phases.map((phase, i) => {
    const budget = plan.budget.phases[i]!;
    const perImage = budget.bytesPerImage[path];
    const streams = new Set(phase.loss.map((t) => t.batch)).size;
    const fixed = FROZEN_BYTES * plan.budget.backboneParams + TRAINABLE_BYTES * budget.trainableParams;
    const need = (m: number) => fixed + m * streams * perImage;
    const choice = (microBatch: number, reason: string): MicroBatchChoice => ({
      phase: phase.name,
      batch: phase.batch,
      microBatch,
      reason,
    });
    if (perImage === 0)
      return choice(phase.batch, 'nothing in the experts trains: the step keeps no activations to split');
    const byTotal = device.bytes === null ? Infinity : Math.floor((device.bytes - fixed) / (streams * perImage));
    const byTensor =
      device.largestTensor === null || budget.largestTensorPerImage === 0
        ? Infinity
        : Math.floor(device.largestTensor / budget.largestTensorPerImage);
    const fitting = Math.min(byTotal, byTensor);
    if (fitting < 1) {
      const over =
        byTotal < 1
          ? `${mib(need(1))} at micro-batch 1 (${mib(perImage)} per image x ${streams} stream${streams > 1 ? 's' : ''}, plus ${mib(fixed)} of weights and optimiser state), but ${device.source} allows ${mib(device.bytes!)}`
          : `a tensor of ${mib(budget.largestTensorPerImage)} per image, larger than ${device.source} allows`;
      throw new MemoryError(
        `${plan.source}: phase '${phase.name}' of ${plan.name} cannot fit even one image per stream: it needs ${over}. Use a smaller model or image size, or a backend with more memory.`,
      );
    }
    const estimate = `${mib(perImage)} per image (estimate, ${path} path)`;
    const written = override ?? phase.microBatch;
    if (written !== undefined) {
      const m = Math.min(written, phase.batch);
      const by = override !== undefined ? `--micro-batch ${override}` : `micro_batch ${written} in the plan`;
      const warning = Number.isFinite(fitting) && m > fitting ? `; the estimate says at most ${fitting} fit` : '';
      return choice(m, `${by}${warning}`);
    }
    if (!Number.isFinite(fitting))
      return choice(phase.batch, `${device.source}: the whole batch at once (--micro-batch N splits it)`);
    const m = Math.min(phase.batch, fitting);
    const fits = m === phase.batch ? 'the whole batch fits' : `${m} per stream fit${m === 1 ? 's' : ''}`;
    const of = device.bytes === null ? device.source : `${mib(device.bytes)}, ${device.source}`;
    return choice(m, `${fits}: ${mib(need(m))} of ${of}; ${estimate}`);
  });
}

/** The choices on the active backend (`backend`: its name, e.g. 'wasm') with the run's settings. */
export function planMicroBatches(plan: Plan, backend: string, settings: RuntimeSettings): MicroBatchChoice[] {
  return chooseMicroBatches(
    plan,
    deviceMemory(backend),
    modelPathOf(resolveModelPaths(settings.speed)),
    settings.microBatch,
  );
}
