/**
 * The terminal view of a run: the Ink UI subscribes to the run's events (which also go to the
 * event log); q, Ctrl-C, SIGTERM or SIGHUP ask the runner to stop after the current step, and a
 * second Ctrl-C or signal quits at once (cli/commands/stop_signals.ts).
 */
import type { EventSink } from '../../runtime/events.ts';
import { createEventHub } from '../ui/event_hub.ts';
import { renderRunUi } from '../ui/render_run_ui.tsx';
import { teeSinks } from '../render/event_log.ts';
import type { StopCheck } from '../../runtime/run/stop_check.ts';
import { listenForStopSignals, settledStopCheck, stoppedExitCode, type StopSignal } from './stop_signals.ts';

export async function watchRun<T>(
  log: EventSink,
  body: (emit: EventSink, shouldStop: StopCheck) => Promise<T>,
): Promise<{ value: T; stoppedBy: StopSignal | null }> {
  let stoppedBy: StopSignal | null = null;
  let lastSignal: StopSignal | null = null;
  const hub = createEventHub();
  const ui = renderRunUi({
    subscribe: hub.subscribe,
    // q and the Ctrl-C key (raw mode) come without a signal: they count as SIGINT.
    onStopRequested: () => (stoppedBy = lastSignal ?? 'SIGINT'),
    subscribeInterrupt: (listener) =>
      listenForStopSignals((signal) => {
        lastSignal = signal;
        listener();
      }),
    onForceQuit: () => {
      ui.unmount();
      process.exit(stoppedExitCode(lastSignal ?? 'SIGINT'));
    },
  });
  let value: T;
  try {
    value = await body(
      teeSinks(log, hub.sink),
      settledStopCheck(() => stoppedBy !== null),
    );
  } catch (e) {
    ui.unmount(); // no run_end will come to close the view
    throw e;
  }
  await ui.waitUntilExit();
  return { value, stoppedBy };
}
