import test from 'ava';
import { createEventHub } from '../../../cli/ui/event_hub.ts';
import type { TimedEvent } from '../../../cli/render/event_log.ts';

const warning = (message: string): TimedEvent => ({ type: 'warning', message, time: 0 });

test('events before the first subscriber are replayed to it; later ones go to every listener', (t) => {
  const hub = createEventHub();
  hub.sink(warning('early'));
  const a: string[] = [];
  const b: string[] = [];
  const unsubscribeA = hub.subscribe((e) => e.type === 'warning' && a.push(e.message));
  hub.subscribe((e) => e.type === 'warning' && b.push(e.message));
  hub.sink(warning('late'));
  unsubscribeA();
  hub.sink(warning('after'));
  t.deepEqual(a, ['early', 'late']);
  t.deepEqual(b, ['late', 'after']);
});
