/**
 * `--json`: every run event as one JSON object per line, for tools (jq, dashboards). NaN
 * accuracies (a shot group without classes) become null, as in results.json.
 */
import type { EventSink } from '../../runtime/events.ts';
import type { TextStream } from './plain.ts';

export function eventLine(event: Parameters<EventSink>[0]): string {
  return `${JSON.stringify(event)}\n`;
}

export function createJsonSink(stream: TextStream): EventSink {
  return (event) => {
    stream.write(eventLine(event));
  };
}
