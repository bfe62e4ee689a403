/**
 * The step loop of one phase: run the steps from where the phase stands (the start, or a
 * checkpoint's position), emit a step event after each, checkpoint after every epoch and when a
 * stop is requested, and hand each finished epoch to the caller (evaluation every N epochs).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../../plan/plan.ts';
import { stamp } from '../events.ts';
import { renameSlots, stableNames, writeCheckpoint, type CheckpointPosition } from './checkpoint.ts';
import type { createOptimizer, PhaseRunner } from './phase.ts';
import type { RunPlanOptions } from './run_plan.ts';

/** Returns true when it stopped on request (after writing a checkpoint). */
export async function trainPhase(
  plan: Plan,
  phaseIndex: number,
  runner: PhaseRunner,
  optimizer: ReturnType<typeof createOptimizer>,
  names: ReturnType<typeof stableNames>,
  finished: readonly string[],
  resumeAt: CheckpointPosition | null,
  progress: { readonly before: number; readonly total: number },
  options: RunPlanOptions,
  afterEpoch: (epochsDone: number) => Promise<void>,
): Promise<boolean> {
  const phase = plan.phases[phaseIndex]!;
  const { emit, variant } = options;
  const steps = runner.stepsPerEpoch;
  emit(stamp({ type: 'phase_start', variant, phase: phase.name, epochs: phase.epochs, stepsPerEpoch: steps, trainable: phase.trainable }));
  const phaseStarted = Date.now();
  const total = phase.epochs * steps;
  let done = resumeAt === null ? 0 : resumeAt.epoch * steps + resumeAt.step;
  let rate = 0;
  const checkpoint = async (epoch: number, step: number) => {
    const state = optimizer.getState();
    const position = { phaseIndex, phase: phase.name, epoch, step, finished };
    const path = await writeCheckpoint(options.checkpointDir, plan.hash, position, names.tensors, { step: state.step, slots: renameSlots(state.slots, names.byVariable) });
    const last = epoch * steps + step - 1;
    emit(stamp({ type: 'checkpoint', variant, phase: phase.name, epoch: Math.floor(last / steps), step: last % steps, path }));
  };
  while (done < total) {
    const epoch = Math.floor(done / steps);
    const step = done % steps;
    const t0 = performance.now();
    const losses = await runner.step(epoch, step);
    const seconds = (performance.now() - t0) / 1000;
    const instant = runner.imagesPerStep / seconds;
    rate = rate === 0 ? instant : 0.9 * rate + 0.1 * instant;
    done += 1;
    const memory = tf.memory();
    emit(stamp({
      type: 'step', variant, phase: phase.name, epoch, step, stepsPerEpoch: steps, losses,
      lr: runner.lr(epoch, step), imagesPerSecond: rate,
      etaSeconds: ((progress.total - progress.before - done) * runner.imagesPerStep) / rate, tensors: memory.numTensors, bytes: memory.numBytes,
      runStep: progress.before + done, runSteps: progress.total,
    }));
    // Steps only await resolved promises (microtasks); a macrotask turn lets the UI render and
    // keypresses and Ctrl-C arrive.
    await new Promise((resolve) => setImmediate(resolve));
    const stop = options.shouldStop?.() ?? false;
    if (done % steps === 0 || stop) await checkpoint(Math.floor(done / steps), done % steps);
    if (stop) return true;
    if (done % steps === 0) await afterEpoch(done / steps);
  }
  emit(stamp({ type: 'phase_end', variant, phase: phase.name, seconds: (Date.now() - phaseStarted) / 1000 }));
  return false;
}
