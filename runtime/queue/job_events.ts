/**
 * The worker's side of a job's event stream: every run event becomes one line of the job's
 * BullMQ log (kept in Redis with the job, read back in order by the submitter from any offset),
 * and after every checkpoint event the checkpoint folder is stored in Redis too. The runtime emits
 * synchronously; the writes go out in order on one promise chain, and a failed write is kept and
 * raised by `flush` (the caller also polls `failed` to stop training early).
 */
import type { Redis } from 'ioredis';
import type { EventSink } from '../events.ts';
import { readCheckpointFolder, uploadCheckpoints } from './checkpoint_transfer.ts';

export interface JobEventWriter {
  readonly emit: EventSink;
  /** True once a write failed (the connection is gone): the job should stop. */
  failed(): boolean;
  /** Stores the checkpoint folder now (at the end of the job or when it stops). */
  storeCheckpoints(): void;
  /** Waits for every write; throws the first failure. */
  flush(): Promise<void>;
}

export function createJobEventWriter(
  job: { log(row: string): Promise<unknown> },
  redis: Redis,
  key: string,
  checkpointDir: string,
): JobEventWriter {
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const enqueue = (write: () => Promise<unknown>) => {
    chain = chain.then(async () => {
      if (failure !== null) return;
      try {
        await write();
      } catch (e) {
        failure = e;
      }
    });
  };
  const storeCheckpoints = () => {
    const folder = readCheckpointFolder(checkpointDir);
    if (folder !== null) enqueue(() => uploadCheckpoints(redis, key, folder));
  };
  return {
    emit: (event) => {
      enqueue(() => job.log(JSON.stringify(event)));
      if (event.type === 'checkpoint') storeCheckpoints();
    },
    failed: () => failure !== null,
    storeCheckpoints,
    async flush() {
      await chain;
      if (failure !== null) throw failure;
    },
  };
}
