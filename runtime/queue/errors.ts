/** The queue's user-facing errors, in a module of their own so that importing them loads no Redis client. */

/** A --queue value that is not redis://[:PASSWORD@]HOST:PORT[/DB]. */
export class QueueUrlError extends Error {
  override readonly name = 'QueueUrlError';
}

/** Redis could not be reached when the command started (nothing was written). */
export class QueueUnreachableError extends Error {
  override readonly name = 'QueueUnreachableError';
}

/** The connection stayed down longer than the grace period. */
export class QueueLostError extends Error {
  override readonly name = 'QueueLostError';
}

/** A job failed on a worker, returned no valid results, or left the queue. */
export class QueueJobError extends Error {
  override readonly name = 'QueueJobError';
}
