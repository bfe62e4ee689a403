/**
 * A shortened run (`lpt run --smoke`): every phase stops after `stepsPerPhase` optimiser steps,
 * and each evaluation reads `evalBatches` batches of `evalBatchSize` images. It shows that a plan
 * runs end to end at its real shapes (models, phases, evaluation, checkpoints, results), not what
 * it reaches: its numbers are no result.
 */
export interface RunLimit {
  readonly stepsPerPhase: number;
  readonly evalBatches: number;
  readonly evalBatchSize: number;
}

/** The steps a phase of `planned` steps runs under `limit`. */
export function limitedSteps(planned: number, limit: RunLimit | undefined): number {
  return limit === undefined ? planned : Math.min(planned, limit.stepsPerPhase);
}
