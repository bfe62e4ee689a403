/**
 * A queue job: one plan to run, under the id of the plan's hash, so that submitting a plan again
 * finds the job already there (waiting, running or finished) instead of adding a second one. The
 * payload is data only: the plan (checked against the plan schema and its own hash before a worker
 * runs it) and the checkpoint retention. The result is the variant's results.json text.
 */
import type { JobsOptions } from 'bullmq';
import type { Plan } from '../../plan/plan.ts';
import { planHash } from '../../plan/hash.ts';
import { describePlanErrors, validatePlan } from '../../plan/validate.ts';

/** The BullMQ queue every lpt submitter and worker uses (keys under bull:lpt:...). */
export const QUEUE_NAME = 'lpt';
export const JOB_NAME = 'plan';

export interface JobData {
  readonly plan: Plan;
  /** Checkpoints kept per phase on the worker (--keep-checkpoints of the submitting run). */
  readonly keepCheckpoints?: number;
}

export interface JobResult {
  /** results.json text holding this one variant (plan/results.ts validates it both ways). */
  readonly results: string;
}

/**
 * Finished and failed jobs stay in Redis (with their event logs and checkpoint) so that a
 * re-attached or repeated submission reads them instead of running the plan again. A failure is a
 * property of the plan (a path outside the data root, a plan the runtime does not support), so it
 * is not retried; a worker that dies is BullMQ's stalled-job case, not a failure.
 */
export function jobOptions(plan: Plan): JobsOptions {
  return { jobId: plan.hash, attempts: 1, removeOnComplete: false, removeOnFail: false };
}

/** Redis key (beside BullMQ's own keys of the job) of the job's latest checkpoint folder. */
export function checkpointKey(planHashValue: string): string {
  return `bull:${QUEUE_NAME}:${planHashValue}:lpt-checkpoint`;
}

export class JobRejectedError extends Error {
  override readonly name = 'JobRejectedError';
}

/** The job's plan, when it is a valid plan whose content matches its hash and the job's id. */
export function jobPlan(jobId: string | undefined, data: unknown): { plan: Plan; keepCheckpoints?: number } {
  const payload = (data ?? {}) as { plan?: unknown; keepCheckpoints?: unknown };
  const checked = validatePlan(payload.plan);
  if (!checked.ok) throw new JobRejectedError(`job ${jobId}: not a valid plan:\n${describePlanErrors(checked.errors)}`);
  const { hash, ...rest } = checked.plan;
  if (planHash(rest) !== hash)
    throw new JobRejectedError(`job ${jobId}: the plan's content does not match its hash ${hash}`);
  if (jobId !== hash) throw new JobRejectedError(`job ${jobId}: the job id is not the plan's hash ${hash}`);
  const keep = payload.keepCheckpoints;
  if (keep !== undefined && !(Number.isSafeInteger(keep) && (keep as number) >= 1))
    throw new JobRejectedError(`job ${jobId}: keepCheckpoints must be a whole number >= 1`);
  return { plan: checked.plan, ...(keep !== undefined ? { keepCheckpoints: keep as number } : {}) };
}
