/**
 * Connects the runtime's EventSink to the UI's subscribe(listener) source. Events emitted before
 * anyone subscribes (the UI subscribes in an effect, after its first render) are kept and handed
 * to the first subscriber, so no run_start is lost.
 */
import type { EventSink } from '../../runtime/events.ts';
import type { TimedEvent } from '../render/event_log.ts';

export type EventListener = (event: TimedEvent) => void;
export type Subscribe = (listener: EventListener) => () => void;

export interface EventHub {
  readonly sink: EventSink;
  readonly subscribe: Subscribe;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  let pending: TimedEvent[] | undefined = [];
  return {
    sink: (event) => {
      if (pending) pending.push(event);
      for (const listener of listeners) listener(event);
    },
    subscribe: (listener) => {
      listeners.add(listener);
      if (pending) {
        const replay = pending;
        pending = undefined;
        for (const event of replay) listener(event);
      }
      return () => listeners.delete(listener);
    },
  };
}
