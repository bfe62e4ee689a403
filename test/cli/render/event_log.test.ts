import test from 'ava';
import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEventLog, parseEventLog, teeSinks } from '../../../cli/render/event_log.ts';
import { createJsonSink } from '../../../cli/render/json.ts';
import { syntheticRunEvents } from '../../../cli/render/synthetic_run.ts';
import type { TimedEvent } from '../../../cli/render/event_log.ts';

const events = syntheticRunEvents().slice(0, 6);

test('the JSON sink writes one object per line, NaN as null', (t) => {
  let text = '';
  const sink = createJsonSink({ write: (s: string) => (text += s) });
  sink({
    type: 'evaluation',
    variant: 'V',
    phase: 'p',
    split: 'test',
    boundaries: 'b',
    accuracy: { overall: 1, many: 2, medium: NaN, few: 3 },
    time: 5,
  });
  sink({ type: 'warning', message: 'w', time: 6 });
  const lines = text.split('\n');
  t.is(lines.length, 3);
  t.is(lines[2], '');
  t.is(JSON.parse(lines[0]!).accuracy.medium, null);
  t.deepEqual(JSON.parse(lines[1]!), { type: 'warning', message: 'w', time: 6 });
});

test('the event log appends across opens (a resumed run) and reads back in order', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'lpt-events-')), 'run', 'events.jsonl');
  const first = createEventLog(path);
  events.slice(0, 3).forEach(first.sink);
  first.close();
  const second = createEventLog(path);
  events.slice(3).forEach(second.sink);
  second.close();
  second.sink(events[0]!);
  const { events: back, badLines } = parseEventLog(readFileSync(path, 'utf8'));
  t.deepEqual(back, events);
  t.deepEqual(badLines, []);
});

test('a torn last line is skipped silently, a bad line in the middle is reported', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'lpt-events-')), 'events.jsonl');
  const log = createEventLog(path);
  events.slice(0, 2).forEach(log.sink);
  log.close();
  appendFileSync(path, '{"type":"step","varia');
  t.deepEqual(parseEventLog(readFileSync(path, 'utf8')).badLines, []);
  t.is(parseEventLog(readFileSync(path, 'utf8')).events.length, 2);
  t.deepEqual(
    parseEventLog('{"type":"warning","message":"a","time":1}\nnot json\n{"type":"warning","message":"b","time":2}\n')
      .badLines,
    [2],
  );
});

test('teeSinks hands every event to every sink in order', (t) => {
  const seen: string[] = [];
  const sink = teeSinks(
    (e) => seen.push(`a:${e.type}`),
    (e) => seen.push(`b:${e.type}`),
  );
  events.slice(0, 2).forEach(sink as (e: TimedEvent) => void);
  t.deepEqual(seen, ['a:run_start', 'b:run_start', 'a:warning', 'b:warning']);
});
