/**
 * The submitting side: each plan becomes a job whose id is the plan's hash (job.ts), so a second
 * submission of a plan (a re-attached run, another run of the same file) finds the job that is
 * already waiting, running or finished. A job that failed is put back once per submission (the
 * cause, a missing file on a worker for example, may have been fixed since).
 */
import { Queue } from 'bullmq';
import type { Plan } from '../../plan/plan.ts';
import { connectToQueue, type QueueConnection } from './connection.ts';
import { JOB_NAME, jobOptions, QUEUE_NAME, type JobData } from './job.ts';
import type { QueueUrl } from './queue_url.ts';

export interface QueueSession {
  readonly url: QueueUrl;
  readonly connection: QueueConnection;
  readonly queue: Queue;
  close(): Promise<void>;
}

/** Connects (a clear error when Redis cannot be reached; nothing is written before). */
export async function openQueueSession(url: QueueUrl, graceSeconds: number): Promise<QueueSession> {
  const connection = await connectToQueue(url, graceSeconds);
  const queue = new Queue(QUEUE_NAME, { connection: connection.redis });
  queue.on('error', () => {}); // connection trouble surfaces through connection.check()
  return {
    url,
    connection,
    queue,
    async close() {
      await queue.close().catch(() => {});
      await connection.close();
    },
  };
}

export interface Submission {
  readonly added: number;
  /** Jobs already on the queue: waiting, running or finished (their results are read, not re-run). */
  readonly found: number;
  /** Failed jobs put back on the queue. */
  readonly retried: number;
}

export async function submitPlans(
  session: QueueSession,
  plans: readonly Plan[],
  keepCheckpoints?: number,
): Promise<Submission> {
  let added = 0;
  let found = 0;
  let retried = 0;
  for (const plan of plans) {
    const existing = await session.queue.getJob(plan.hash);
    if (existing === undefined) {
      const data: JobData = { plan, ...(keepCheckpoints !== undefined ? { keepCheckpoints } : {}) };
      await session.queue.add(JOB_NAME, data, jobOptions(plan));
      added++;
    } else if ((await existing.getState()) === 'failed') {
      await existing.retry('failed');
      retried++;
    } else {
      found++;
    }
  }
  return { added, found, retried };
}
