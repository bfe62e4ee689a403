/**
 * The loop of a submitter that follows plans running elsewhere (a queue's workers, Slurm's
 * tasks): look again every so often until nothing is left, or until a stop is asked for (Ctrl-C
 * leaves the plans running where they are).
 */
import type { StopCheck } from './stop_check.ts';

/** Calls `look` until `left()` is 0 (waiting `pollMilliseconds` between looks); true when stopped first. */
export async function pollUntilDone(
  left: () => number,
  look: () => Promise<void> | void,
  shouldStop: StopCheck | undefined,
  pollMilliseconds: number,
): Promise<boolean> {
  while (left() > 0) {
    if ((await shouldStop?.()) === true) return true;
    await look();
    if (left() > 0) await new Promise((resolve) => setTimeout(resolve, pollMilliseconds));
  }
  return false;
}
