/**
 * `lpt run --queue URL`: the run directory is made here as for a local run, its plans go on the
 * queue (runtime/queue/submit.ts) and the run is followed from there (runtime/queue/follow.ts)
 * instead of trained in this process. A run directory with queue.json was submitted to a queue, and
 * `--resume` re-attaches to it. Redis is reached before anything is written.
 */
import type { Plan } from '../../plan/plan.ts';
import { followQueuedRun } from '../../runtime/queue/follow.ts';
import { readQueueRecord, writeQueueRecord } from '../../runtime/queue/queue_record.ts';
import { hideUrlPasswords, parseQueueUrl, type QueueUrl } from '../../runtime/queue/queue_url.ts';
import { openQueueSession, submitPlans } from '../../runtime/queue/submit.ts';
import type { ExperimentOutcome } from '../../runtime/run/run_experiment.ts';
import { createRunDirectory, openRunDirectory, reserveRunDirectory } from '../../runtime/store/run_directory.ts';
import { acquireRunLock, type RunLock } from '../../runtime/store/run_lock.ts';
import type { EventSink } from '../../runtime/events.ts';
import type { StopCheck } from '../../runtime/run/stop_check.ts';
import { UsageError } from './command.ts';

/** Seconds the submitter waits for a lost Redis connection to come back before it stops with an error. */
export const SUBMITTER_GRACE_SECONDS = 15;

/** The queue a run uses: --queue, else the one a resumed run directory was submitted to; undefined for a local run. */
export function queueOf(flag: string | undefined, resumedDir: string | undefined): QueueUrl | undefined {
  if (flag !== undefined) return parseQueueUrl(flag);
  const record = resumedDir === undefined ? null : readQueueRecord(resumedDir);
  if (record === null) return undefined;
  if (record.queue.includes(':***@')) {
    throw new UsageError(
      `${resumedDir} was submitted to ${record.queue}; lpt never stores the password, so give the URL again: lpt run --resume ${resumedDir} --queue URL`,
    );
  }
  return parseQueueUrl(record.queue);
}

export interface QueuedRun {
  readonly runDir: string;
  readonly lock: RunLock;
  readonly go: (emit: EventSink, shouldStop: StopCheck) => Promise<ExperimentOutcome>;
  close(): Promise<void>;
}

/**
 * Connects, then (for a new run) reserves and fills the run directory under its lock, submits the
 * plans not finished yet and says so on stderr. `lock` is the resumed directory's lock, if any.
 */
export async function prepareQueuedRun(
  url: QueueUrl,
  start: { readonly plans: readonly Plan[]; readonly base: string; readonly runDir?: string; readonly lock?: RunLock },
  keepCheckpoints: number | undefined,
  stderr: (text: string) => void,
): Promise<QueuedRun> {
  const session = await openQueueSession(url, SUBMITTER_GRACE_SECONDS);
  try {
    const warn = (message: string) => stderr(`lpt run: warning: ${message}`);
    let { runDir, lock } = start;
    if (runDir === undefined || lock === undefined) {
      runDir = reserveRunDirectory(start.base);
      lock = acquireRunLock(runDir, warn, hideUrlPasswords(process.argv.slice(1).join(' ')));
      createRunDirectory(runDir, start.plans, keepCheckpoints);
    }
    const { index, plans, results } = openRunDirectory(runDir);
    if (readQueueRecord(runDir) === null) writeQueueRecord(runDir, { queue: url.display, relayed: {} });
    const pending = plans.filter((p) => !results.some((r) => r.planHash === p.hash));
    const submitted = await submitPlans(session, pending, keepCheckpoints ?? index.keepCheckpoints);
    stderr(describeSubmission(url, runDir, pending.length, plans.length, submitted));
    const dir = runDir;
    return {
      runDir: dir,
      lock,
      go: (emit, shouldStop) => followQueuedRun({ session, runDir: dir, emit, shouldStop }),
      close: () => session.close(),
    };
  } catch (e) {
    await session.close();
    throw e;
  }
}

function describeSubmission(
  url: QueueUrl,
  runDir: string,
  pending: number,
  total: number,
  s: Awaited<ReturnType<typeof submitPlans>>,
): string {
  const parts = [
    `${s.added} added`,
    ...(s.found > 0 ? [`${s.found} already there (not run again)`] : []),
    ...(s.retried > 0 ? [`${s.retried} failed before, put back`] : []),
  ];
  const done = total - pending;
  return `lpt run: ${pending} plan${pending === 1 ? '' : 's'} on the queue ${url.display} (${parts.join(', ')})${done > 0 ? `; ${done} finished earlier` : ''}; run directory ${runDir}
lpt run: workers take them: lpt worker --queue ${url.display}`;
}
