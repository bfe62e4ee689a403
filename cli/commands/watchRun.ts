/**
 * The terminal view of a run: the Ink UI subscribes to the run's events (which also go to the
 * event log); q or Ctrl-C in the UI asks the runner to stop after the current step.
 */
import type { EventSink } from '../../runtime/events.ts';
import { createEventHub } from '../ui/eventHub.ts';
import { renderRunUi } from '../ui/renderRunUi.tsx';
import { teeSinks } from '../render/eventLog.ts';

export async function watchRun<T>(
  log: EventSink,
  body: (emit: EventSink, shouldStop: () => boolean) => Promise<T>,
): Promise<T> {
  let stop = false;
  const hub = createEventHub();
  const ui = renderRunUi({ subscribe: hub.subscribe, onStopRequested: () => (stop = true) });
  try {
    return await body(teeSinks(log, hub.sink), () => stop);
  } finally {
    await ui.waitUntilExit();
  }
}
