/**
 * The step loop of one phase: run the steps from where the phase stands (the start, or a
 * checkpoint's position), emit a step event after each, checkpoint after every epoch and when a
 * stop is requested, and hand each finished epoch to the caller (evaluation every N epochs).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../../plan/plan.ts';
import { finishGpuStep } from '../backend/gpu_step.ts';
import { releaseGpuPool } from '../backend/gpu_memory.ts';
import { type EventSink, stamp } from '../events.ts';
import type { Optimizer } from '../train/optim.ts';
import { renameSlots, writeCheckpoint, type CheckpointPosition } from '../store/checkpoint.ts';
import type { PhaseRunner } from './phase.ts';
import type { StableNames } from '../store/resume.ts';
import type { StopCheck } from './stop_check.ts';

/** Steps of the whole plan: those of the phases before this one, and all of them. */
export interface RunProgress {
  readonly before: number;
  readonly total: number;
}

export interface PhaseContext {
  readonly plan: Plan;
  readonly phaseIndex: number;
  readonly variant: string;
  readonly runner: PhaseRunner;
  readonly optimizer: Optimizer;
  readonly names: StableNames;
  /** Phases finished before this one. */
  readonly finished: readonly string[];
  /** Where a resumed phase continues; null starts at its first step. */
  readonly resumeAt: CheckpointPosition | null;
  readonly progress: RunProgress;
  readonly checkpointDir: string;
  /** Checkpoints kept per phase (default 2). */
  readonly keepCheckpoints?: number | undefined;
  readonly emit: EventSink;
  /** Polled after every step: true finishes the step, writes a checkpoint and stops. */
  readonly shouldStop?: StopCheck;
  /** Called after each finished epoch (1-based count) except when stopping. */
  readonly afterEpoch: (epochsDone: number) => Promise<void>;
  /** A shortened run's cap on the phase's steps (run_limit.ts); the phase's own count without it. */
  readonly maxSteps?: number;
}

/** Returns true when it stopped on request (after writing a checkpoint). */
export async function trainPhase(ctx: PhaseContext): Promise<boolean> {
  const { plan, phaseIndex, runner, optimizer, names, emit, variant, progress } = ctx;
  const phase = plan.phases[phaseIndex]!;
  const steps = runner.stepsPerEpoch;
  const total = Math.min(phase.epochs * steps, ctx.maxSteps ?? Infinity);
  // A shortened run shows the steps it trains (the first `total` of the plan's), not the plan's epochs.
  const shortened = total < phase.epochs * steps;
  const shownSteps = shortened ? Math.min(steps, total) : steps;
  emit(
    stamp({
      type: 'phase_start',
      variant,
      phase: phase.name,
      epochs: shortened ? Math.ceil(total / shownSteps) : phase.epochs,
      stepsPerEpoch: shownSteps,
      trainable: phase.trainable,
      ...(shortened ? { planned: { epochs: phase.epochs, stepsPerEpoch: steps } } : {}),
    }),
  );
  const phaseStarted = Date.now();
  let done = ctx.resumeAt === null ? 0 : ctx.resumeAt.epoch * steps + ctx.resumeAt.step;
  let rate = 0;
  const checkpoint = async (epoch: number, step: number) => {
    const state = optimizer.getState();
    const position = { phaseIndex, phase: phase.name, epoch, step, finished: ctx.finished };
    const path = await writeCheckpoint(
      ctx.checkpointDir,
      plan.hash,
      position,
      names.tensors,
      { step: state.step, slots: renameSlots(state.slots, names.byVariable) },
      ctx.keepCheckpoints,
    );
    const last = epoch * steps + step - 1;
    emit(
      stamp({
        type: 'checkpoint',
        variant,
        phase: phase.name,
        epoch: Math.floor(last / steps),
        step: last % steps,
        path,
      }),
    );
  };
  while (done < total) {
    const epoch = Math.floor(done / steps);
    const step = done % steps;
    const t0 = performance.now();
    const losses = await runner.step(epoch, step);
    const gpu = await finishGpuStep(); // throws a GPU failure before the step's numbers are used
    const seconds = (performance.now() - t0) / 1000;
    const instant = runner.imagesPerStep / seconds;
    rate = rate === 0 ? instant : 0.9 * rate + 0.1 * instant;
    done += 1;
    const memory = tf.memory();
    emit(
      stamp({
        type: 'step',
        variant,
        phase: phase.name,
        epoch,
        step,
        stepsPerEpoch: shownSteps,
        losses,
        lr: runner.lr(epoch, step),
        imagesPerSecond: rate,
        etaSeconds: ((progress.total - progress.before - done) * runner.imagesPerStep) / rate,
        tensors: memory.numTensors,
        bytes: memory.numBytes,
        ...(gpu === null ? {} : { gpuBytes: gpu }),
        runStep: progress.before + done,
        runSteps: progress.total,
      }),
    );
    // Steps only await resolved promises (microtasks); a macrotask turn lets the UI render and
    // keypresses and Ctrl-C arrive.
    await new Promise((resolve) => setImmediate(resolve));
    const stop = (await ctx.shouldStop?.()) ?? false;
    if (done % steps === 0 || stop) await checkpoint(Math.floor(done / steps), done % steps);
    if (stop) return true;
    if (done % steps === 0) await ctx.afterEpoch(done / steps);
  }
  releaseGpuPool();
  emit(stamp({ type: 'phase_end', variant, phase: phase.name, seconds: (Date.now() - phaseStarted) / 1000 }));
  return false;
}
