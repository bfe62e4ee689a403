/**
 * Where a resumed plan stands: the checkpoint's position, its module tensors and optimiser slots.
 * The executor restores modules once at the start and hands the phase the checkpoint points into
 * its optimiser state and position; every other phase starts fresh.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Optimizer } from '../train/optim.ts';
import { type CheckpointEntry, readCheckpoint, renameSlots, restoreModules, type stableNames } from './checkpoint.ts';

export interface ResumeState {
  /** The checkpoint resumed from: the newest valid one. */
  readonly manifest: CheckpointEntry;
  /** Module tensors by stable name; disposed by `restoreModulesFrom`. */
  readonly modules: Map<string, tf.Tensor>;
  /** Optimiser slots keyed by stable tensor names. */
  readonly optimizerSlots: Record<string, tf.Tensor>;
}

export type StableNames = ReturnType<typeof stableNames>;

/** `warn` names a newest checkpoint that failed validation and the one resumed from instead. */
export function loadResumeState(
  checkpointDir: string,
  planHash: string,
  warn: (message: string) => void,
): ResumeState | null {
  return readCheckpoint(checkpointDir, planHash, warn);
}

/** Assigns the saved module tensors to the model's variables and frees the saved copies. */
export function restoreModulesFrom(resume: ResumeState, names: StableNames): void {
  restoreModules(names.tensors, resume.modules);
  tf.dispose([...resume.modules.values()]);
}

/** The resume state when it stopped inside phase `phaseIndex`, else null. */
export function resumeInPhase(resume: ResumeState | null, phaseIndex: number): ResumeState | null {
  return resume !== null && resume.manifest.phaseIndex === phaseIndex ? resume : null;
}

/** Gives the optimiser the saved step count and slots (renamed back to this process's variables). */
export function restoreOptimizer(optimizer: Optimizer, resume: ResumeState, names: StableNames): void {
  if (Object.keys(resume.optimizerSlots).length === 0) return;
  const reverse = new Map([...names.byVariable].map(([variable, name]) => [name, variable]));
  optimizer.setState({ step: resume.manifest.optimizerStep, slots: renameSlots(resume.optimizerSlots, reverse) });
}

export function disposeResumeState(resume: ResumeState | null): void {
  if (resume !== null) tf.dispose([...resume.modules.values(), ...Object.values(resume.optimizerSlots)]);
}
