/**
 * Following a run's jobs from the submitting machine: the run directory gets what a local run
 * writes (events.jsonl, results.json, per_class.csv, checkpoints/) as the workers' jobs finish.
 * Events are relayed one job at a time, in plan order of the jobs that have started, and a job's
 * events end before the next job's begin, so the terminal UI, --json and events.jsonl read like a
 * local run of the same plans (other jobs' events wait in Redis meanwhile). A job's results are
 * written once its events are all relayed. Stopping (Ctrl-C) leaves the jobs running on the
 * workers; `lpt run --resume RUN_DIR` picks them up again.
 */
import type { Job } from 'bullmq';
import { stamp, type EventSink } from '../events.ts';
import type { Plan } from '../../plan/plan.ts';
import { parseRunResults, type VariantResults } from '../../plan/results.ts';
import { checkpointDir, openRunDirectory, variantName, writeResults } from '../store/run_directory.ts';
import type { ExperimentOutcome } from '../run/run_experiment.ts';
import type { StopCheck } from '../run/stop_check.ts';
import { pollUntilDone } from '../run/poll_until_done.ts';
import { downloadCheckpoints } from './checkpoint_transfer.ts';
import { checkpointKey, type JobResult } from './job.ts';
import { QueueJobError } from './errors.ts';
import { relayJobEvents } from './relay.ts';
import { readQueueRecord, writeQueueRecord } from './queue_record.ts';
import type { QueueSession } from './submit.ts';

export interface FollowOptions {
  readonly session: QueueSession;
  readonly runDir: string;
  readonly emit: EventSink;
  readonly shouldStop?: StopCheck;
  readonly pollMilliseconds?: number;
}

type JobState = Awaited<ReturnType<Job['getState']>>;

export async function followQueuedRun(options: FollowOptions): Promise<ExperimentOutcome> {
  const started = Date.now();
  const { session, runDir, emit } = options;
  const { index, plans, results: done } = openRunDirectory(runDir);
  const relayed = new Map(Object.entries(readQueueRecord(runDir)?.relayed ?? {}));
  const saveRecord = () =>
    writeQueueRecord(runDir, { queue: session.url.display, relayed: Object.fromEntries(relayed) });
  saveRecord();
  // A plan with several evaluate blocks has an entry per evaluated split.
  const results = new Map<string | undefined, VariantResults[]>();
  for (const r of done) results.set(r.planHash, [...(results.get(r.planHash) ?? []), r]);
  const waiting = plans.filter((p) => !results.has(p.hash));
  let focus: Plan | null = null;

  const finish = async (plan: Plan, job: Job) => {
    // The job was read before its state: it may have completed in between, without its return value in that copy.
    const latest = (await session.queue.getJob(plan.hash)) ?? job;
    const parsed = parseRunResults((latest.returnvalue as JobResult | null)?.results ?? '');
    const entries = parsed.ok ? parsed.results.variants : [];
    if (!parsed.ok || entries.length === 0 || entries.some((v) => v.planHash !== plan.hash)) {
      throw new QueueJobError(
        `job ${plan.hash.slice(0, 12)} (${variantName(plan)}) returned no valid results${parsed.ok ? '' : `: ${parsed.message}`}`,
      );
    }
    await downloadCheckpoints(session.connection.redis, checkpointKey(plan.hash), checkpointDir(runDir, plan));
    results.set(plan.hash, [...entries]);
    const ordered = plans.flatMap((p) => results.get(p.hash) ?? []);
    writeResults(runDir, index, parsed.results.boundaries, ordered);
    waiting.splice(waiting.indexOf(plan), 1);
  };

  const tick = async () => {
    const jobs = new Map<string, { job: Job | undefined; state: JobState }>();
    for (const plan of waiting) {
      const job = await session.queue.getJob(plan.hash);
      jobs.set(plan.hash, { job, state: job === undefined ? 'unknown' : await job.getState() });
    }
    for (;;) {
      focus ??=
        waiting.find((p) => ['active', 'completed', 'failed', 'unknown'].includes(jobs.get(p.hash)!.state)) ?? null;
      if (focus === null) return;
      const plan: Plan = focus;
      const { job, state } = jobs.get(plan.hash)!;
      if (job === undefined)
        throw new QueueJobError(
          `the job of ${variantName(plan)} (${plan.hash.slice(0, 12)}) is no longer on the queue ${session.url.display} (removed, or Redis restarted without its data); submit it again with: lpt run --resume ${runDir}`,
        );
      // The state was read before the log: a finished job's log is complete.
      if (await relayJobEvents(session.queue, plan, runDir, relayed, emit)) saveRecord();
      if (state === 'failed')
        throw new QueueJobError(
          `${variantName(plan)} failed on a worker (job ${plan.hash.slice(0, 12)}): ${job.failedReason}`,
        );
      if (state !== 'completed') return;
      await finish(plan, job);
      focus = null;
    }
  };

  const look = async () => {
    session.connection.check();
    try {
      await tick();
    } catch (e) {
      // While Redis is away commands fail at once; connection.check() ends the wait after its grace period.
      if (session.connection.redis.status === 'ready') throw e;
    }
  };
  const stopped = await pollUntilDone(() => waiting.length, look, options.shouldStop, options.pollMilliseconds ?? 300);
  emit(stamp({ type: 'run_end', runDir, seconds: (Date.now() - started) / 1000, stopped }));
  return { stopped, results: plans.flatMap((p) => results.get(p.hash) ?? []) };
}
