/**
 * Stop requests for a run: SIGINT (Ctrl-C), SIGTERM (Slurm, Kubernetes, `timeout`, systemd, job
 * queues) and SIGHUP (a closed terminal or ssh session) all ask the runner to finish the current
 * step, write a checkpoint and end with the resume command; a second signal exits at once. A run
 * that stopped exits with 128 + the signal's number (130, 143, 129; `q` in the UI counts as
 * Ctrl-C): the status a shell or a scheduler expects of a process that a signal ended.
 */
import { constants } from 'node:os';
import type { StopCheck } from '../../runtime/run/stop_check.ts';

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

/** A hold on the stop signals across stages that each listen in turn (see holdStopSignals). */
export interface StopSignalHold {
  /** The first stop signal received while the hold acted alone, if any. */
  readonly stoppedBy: () => StopSignal | null;
  /** The next stage's handler acts from now on; the hold only keeps the signals from their default action. */
  readonly handOver: () => void;
  readonly release: () => void;
}

/**
 * Takes the stop signals from now until `release`, across stages that listen one after the other
 * (submitting, then following). Node restores a signal's default action (the process dies by it)
 * when the signal's last listener goes, and a signal that libuv took just before that reaches no
 * listener at all: a stage that unsubscribes before the next subscribes leaves a window in which a
 * Ctrl-C kills the process or is lost. Until `handOver` the hold is the handler: it remembers the
 * first signal and a second one exits at once with 128 + its number.
 */
export function holdStopSignals(forceExit: (code: number) => void = (code) => process.exit(code)): StopSignalHold {
  let stoppedBy: StopSignal | null = null;
  let handedOver = false;
  const release = listenForStopSignals((signal) => {
    if (handedOver) return;
    if (stoppedBy !== null) return forceExit(stoppedExitCode(signal));
    stoppedBy = signal;
  });
  return {
    stoppedBy: () => stoppedBy,
    handOver: () => {
      handedOver = true;
    },
    release,
  };
}

/**
 * How long a stop request waits, with the event loop free, before the run acts on it. Signals sent
 * together (a scheduler's SIGTERM with a closed session's SIGHUP, or two stop signals pending while
 * the process was paused) are taken by different threads, whose handlers queue their messages to
 * the main thread one after the other through libuv's signal pipe: the second message may land just
 * after the main thread read the first. Acting at once (checkpoint, run_end, then removing the
 * listeners, all without reading the pipe again) lost that second signal: libuv drops a message
 * for a listener that is gone. The wait costs a stop a few tens of milliseconds.
 */
export const stopSettleMilliseconds = 50;

/**
 * A stop check for `requested`: false while no stop was requested; once one was, a promise that
 * resolves to true after `settleMs`, during which a second signal can still arrive.
 */
export function settledStopCheck(requested: () => boolean, settleMs = stopSettleMilliseconds): StopCheck {
  let settled: Promise<boolean> | undefined;
  return () => {
    if (!requested()) return false;
    settled ??= new Promise((resolve) => setTimeout(() => resolve(true), settleMs));
    return settled;
  };
}

/**
 * Runs `body` with a stop check that a stop signal turns true (announced on stderr, held back for
 * `settleMs`, see stopSettleMilliseconds); a second signal calls `forceExit` (default: exit at
 * once with 128 + its number). Returns the body's value and the signal that asked for the stop, if any.
 */
export async function withStopSignals<T>(
  body: (shouldStop: StopCheck) => Promise<T>,
  announce: (text: string) => void = (text) => process.stderr.write(text),
  forceExit: (code: number) => void = (code) => process.exit(code),
  settleMs = stopSettleMilliseconds,
): Promise<{ value: T; stoppedBy: StopSignal | null }> {
  let stoppedBy: StopSignal | null = null;
  const unsubscribe = listenForStopSignals((signal) => {
    if (stoppedBy !== null) return forceExit(stoppedExitCode(signal));
    stoppedBy = signal;
    announce(
      `\n${signal}: stopping after the current step and writing a checkpoint (${signal === 'SIGINT' ? 'Ctrl-C again' : 'a second signal'} quits at once)...\n`,
    );
  });
  try {
    const value = await body(settledStopCheck(() => stoppedBy !== null, settleMs));
    return { value, stoppedBy };
  } finally {
    unsubscribe();
  }
}
