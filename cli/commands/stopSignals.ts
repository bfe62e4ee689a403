/**
 * Stop requests for a run: SIGINT (Ctrl-C), SIGTERM (Slurm, Kubernetes, `timeout`, systemd, job
 * queues) and SIGHUP (a closed terminal or ssh session) all ask the runner to finish the current
 * step, write a checkpoint and end with the resume command; a second signal exits at once. A run
 * that stopped exits with 128 + the signal's number (130, 143, 129; `q` in the UI counts as
 * Ctrl-C): the status a shell or a scheduler expects of a process that a signal ended.
 */
import { constants } from 'node:os';

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export const stopSignals: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function stoppedExitCode(signal: StopSignal): number {
  return 128 + constants.signals[signal];
}

/** Calls `listener` with each stop signal the process receives (instead of dying); returns the unsubscribe. */
export function listenForStopSignals(listener: (signal: StopSignal) => void): () => void {
  const handlers = stopSignals.map((signal) => [signal, () => listener(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  return () => {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  };
}

/**
 * Runs `body` with a stop flag raised by the first stop signal (announced on stderr); a second
 * signal calls `forceExit` (default: exit at once with 128 + its number). Returns the body's value
 * and the signal that asked for the stop, if any.
 */
export async function withStopSignals<T>(
  body: (shouldStop: () => boolean) => Promise<T>,
  announce: (text: string) => void = (text) => process.stderr.write(text),
  forceExit: (code: number) => void = (code) => process.exit(code),
): Promise<{ value: T; stoppedBy: StopSignal | null }> {
  let stoppedBy: StopSignal | null = null;
  const unsubscribe = listenForStopSignals((signal) => {
    if (stoppedBy !== null) return forceExit(stoppedExitCode(signal));
    stoppedBy = signal;
    announce(`\n${signal}: stopping after the current step and writing a checkpoint (${signal === 'SIGINT' ? 'Ctrl-C again' : 'a second signal'} quits at once)...\n`);
  });
  try {
    const value = await body(() => stoppedBy !== null);
    return { value, stoppedBy };
  } finally {
    unsubscribe();
  }
}
