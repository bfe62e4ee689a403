/**
 * `lpt worker`: takes plan jobs from the queue one at a time and runs them with the local runtime.
 * A job's plan is checked (schema, hash; job.ts) and confined to the data root (confine.ts) before
 * anything runs; its checkpoints start from the copy in Redis when another worker began it, and
 * go back to Redis after every checkpoint (checkpoint_transfer.ts); its events go to the job's log
 * (job_events.ts); its result is the variant's results. The training itself runs in a child
 * process per job attempt (job_process.ts), so that this process renews the job's lock on time. A worker that dies holds its job's lock
 * until the lock expires (`stallSeconds`); BullMQ's stalled-job check then puts the job back.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Job, Worker, WaitingError } from 'bullmq';
import type { ImageLoading } from '../data/pipeline/loader.ts';
import type { EventSink } from '../events.ts';
import type { RuntimeSettings } from '../settings.ts';
import { missingInputs } from '../run/preflight.ts';
import { confinePlan } from './confine.ts';
import { connectToQueue, redisOptions, type QueueConnection } from './connection.ts';
import { downloadCheckpoints } from './checkpoint_transfer.ts';
import { checkpointKey, JOB_NAME, JobRejectedError, jobPlan, QUEUE_NAME, type JobResult } from './job.ts';
import { createJobEventWriter } from './job_events.ts';
import type { JobProcessMessage, RunJobMessage } from './job_process.ts';
import { hidePassword, type QueueUrl } from './queue_url.ts';

export interface QueueWorkerOptions {
  readonly url: QueueUrl;
  /** Every path a plan reads resolves under this folder. */
  readonly dataRoot: string;
  /** Scratch space: one folder per job attempt (removed after it), and the text-embedding cache. */
  readonly workDir: string;
  /** The backend preference each job's training process starts (auto, wasm, ...). */
  readonly backend: string;
  readonly settings: RuntimeSettings;
  readonly imageLoading: ImageLoading;
  /** Seconds a dead worker's job stays locked before it returns to the queue. */
  readonly stallSeconds: number;
  /** One line per job started, finished, failed or handed back. */
  readonly say: (line: string) => void;
}

export interface RunningWorker {
  /** Hands the current job back after its current step (with a checkpoint) and closes. */
  stop(): Promise<void>;
  /** Resolves when the worker has closed; rejects when the connection is lost. */
  readonly closed: Promise<void>;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<RunningWorker> {
  const connection = await connectToQueue(options.url, options.stallSeconds);
  const dataRoot = resolve(options.dataRoot);
  const workDir = resolve(options.workDir);
  mkdirSync(workDir, { recursive: true });
  let stopping = false;
  // A job whose lock could not be renewed in time (this process stalled) may already run elsewhere: drop it.
  const lost = new Set<string>();
  const processor = (job: Job, token?: string) => {
    lost.delete(job.id ?? ''); // a new attempt of a job this worker lost before
    return runJob(
      job,
      token,
      { ...options, dataRoot, workDir },
      connection,
      () => stopping,
      () => lost.has(job.id ?? ''),
    );
  };
  const worker = new Worker(QUEUE_NAME, processor, {
    connection: { ...redisOptions(options.url), maxRetriesPerRequest: null },
    concurrency: 1,
    lockDuration: options.stallSeconds * 1000,
    stalledInterval: options.stallSeconds * 1000,
    // A job whose workers keep dying is failed after this many returns to the queue.
    maxStalledCount: 5,
  });
  worker.on('error', () => {}); // connection trouble surfaces through connection.check()
  worker.on('lockRenewalFailed', (ids) => {
    for (const id of ids) lost.add(id);
  });
  worker.on('failed', (job, error) => {
    if (job)
      options.say(`job ${short(job.id)} (${describeJob(job)}) failed: ${hidePassword(error.message, options.url)}`);
  });
  const closed = new Promise<void>((resolveClosed, reject) => {
    const timer = setInterval(() => {
      try {
        connection.check();
      } catch (e) {
        clearInterval(timer);
        void worker.close(true).finally(() => reject(e));
      }
    }, 1000);
    worker.on('closed', () => {
      clearInterval(timer);
      void connection.close().finally(resolveClosed);
    });
  });
  await worker.waitUntilReady();
  return {
    closed,
    async stop() {
      stopping = true;
      await worker.close();
    },
  };
}

async function runJob(
  job: Job,
  token: string | undefined,
  options: QueueWorkerOptions,
  connection: QueueConnection,
  stopping: () => boolean,
  lockLost: () => boolean,
): Promise<JobResult> {
  if (job.name !== JOB_NAME)
    throw new JobRejectedError(`job ${job.id}: unknown job kind '${job.name}'; an lpt worker runs plans only`);
  const { plan, keepCheckpoints } = jobPlan(job.id, job.data);
  const folder = mkdtempSync(join(options.workDir, 'job-'));
  try {
    const runnable = confinePlan(plan, options.dataRoot, options.workDir);
    const missing = missingInputs(runnable);
    if (missing.length > 0)
      throw new JobRejectedError(
        `files are missing under the data root ${options.dataRoot}:\n${missing.map((m) => `  ${m}`).join('\n')}`,
      );
    const checkpointDir = join(folder, 'checkpoints');
    const key = checkpointKey(plan.hash);
    const resumed = await downloadCheckpoints(connection.redis, key, checkpointDir);
    options.say(
      `job ${short(job.id)} (${plan.name}) started${resumed ? ', from the checkpoint another worker left' : ''}`,
    );
    const events = createJobEventWriter(job, connection.redis, key, checkpointDir);
    const outcome = await runInJobProcess(
      {
        kind: 'run',
        plan: runnable,
        checkpointDir,
        runDir: folder,
        backend: options.backend,
        settings: options.settings,
        imageLoading: options.imageLoading,
        ...(keepCheckpoints !== undefined ? { keepCheckpoints } : {}),
      },
      events.emit,
      () => stopping() || events.failed() || lockLost(),
    );
    if (lockLost())
      throw new Error(
        `job ${job.id}: this worker lost the job's lock (it could not renew it for --stall-seconds); another worker has the job`,
      );
    events.storeCheckpoints();
    await events.flush();
    if (outcome.kind === 'error') throw new JobRejectedError(outcome.message);
    if (outcome.kind === 'stopped') {
      // Stopped by this worker's own stop request: the job goes back to the queue, its checkpoint in Redis.
      await job.moveToWait(token);
      options.say(`job ${short(job.id)} (${plan.name}) handed back to the queue with its checkpoint`);
      throw new WaitingError();
    }
    options.say(
      `job ${short(job.id)} (${plan.name}) finished in ${outcome.seconds.toFixed(0)} s: overall ${outcome.overall.toFixed(2)}%`,
    );
    return { results: outcome.results };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

type JobEnd = Exclude<JobProcessMessage, { kind: 'event' }>;

/** Runs the job in a child process (job_process.ts), relaying its events; asks it to stop when `shouldStop` turns true. */
function runInJobProcess(message: RunJobMessage, emit: EventSink, shouldStop: () => boolean): Promise<JobEnd> {
  const child = fork(JOB_PROCESS, [], {
    cwd: PROJECT_ROOT,
    execArgv: [`--import=${import.meta.resolve('tsx')}`],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<JobEnd>((resolve, reject) => {
    let end: JobEnd | null = null;
    const poll = setInterval(() => {
      if (shouldStop() && child.connected) child.send({ kind: 'stop' });
    }, 500);
    child.on('message', (m: JobProcessMessage) => {
      if (m.kind === 'event') emit(m.event);
      else end = m;
    });
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (end !== null) resolve(end);
      else reject(new Error(`the job's training process ended without a result (${signal ?? `exit status ${code}`})`));
    });
    child.send(message);
  });
}

function short(id: string | undefined): string {
  return (id ?? '?').slice(0, 12);
}

function describeJob(job: Job): string {
  const plan = (job.data as { plan?: { name?: unknown } } | undefined)?.plan;
  return typeof plan?.name === 'string' ? plan.name : 'not a plan';
}

const JOB_PROCESS = fileURLToPath(new URL('./job_process.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
