/** The queue's user-facing errors, in a module of their own so that importing them loads no Redis client. */

import { UserError } from '../errors.ts';

/** A --queue value that is not redis://[:PASSWORD@]HOST:PORT[/DB]. */
export class QueueUrlError extends UserError {
  override readonly name = 'QueueUrlError';
}

/** Redis could not be reached when the command started (nothing was written). */
export class QueueUnreachableError extends UserError {
  override readonly name = 'QueueUnreachableError';
}

/** The connection stayed down longer than the grace period. */
export class QueueLostError extends UserError {
  override readonly name = 'QueueLostError';
}

/** A job failed on a worker, returned no valid results, or left the queue. */
export class QueueJobError extends UserError {
  override readonly name = 'QueueJobError';
}
