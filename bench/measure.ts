/**
 * Timing one step function: untimed warm-up steps, then `steps` timed ones. The tensor count is
 * taken around the timed steps: a step that leaks shows up as growth.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Step } from './lpt_steps.ts';

export interface Timing {
  readonly secondsPerStep: number;
  /** CPU seconds of this process (all its threads) per step: less disturbed by other work than wall time. */
  readonly cpuSecondsPerStep: number;
  /** tf.memory().numTensors after the timed steps minus before them. */
  readonly tensorGrowth: number;
}

export async function timeSteps(step: Step, warmup: number, steps: number): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await step();
  const before = tf.memory().numTensors;
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < steps; i++) await step();
  const seconds = (performance.now() - start) / 1000 / steps;
  const used = process.cpuUsage(cpu);
  return {
    secondsPerStep: seconds,
    cpuSecondsPerStep: (used.user + used.system) / 1e6 / steps,
    tensorGrowth: tf.memory().numTensors - before,
  };
}
