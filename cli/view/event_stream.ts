/**
 * Server-sent events of one run directory: its events.jsonl from the start and then as the run
 * appends (read by polling the file's size, which works on network file systems where change
 * notifications do not), `results` when results.json changes, and `status` when the run's list
 * entry changes (the lock released, a variant finished). Reads only.
 */
import { statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { readAppendedEvents } from './run_events.ts';
import { summarizeRun } from './run_summary.ts';

const pollMs = 250;
const statusEvery = 8; // polls

function size(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Streams `dir` to `res` until the client goes away; `shownDir` names it in the status. */
export function streamRun(
  dir: string,
  shownDir: string,
  res: ServerResponse,
  onClose: (stop: () => void) => void,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const eventsPath = join(dir, 'events.jsonl');
  const resultsPath = join(dir, 'results.json');
  let offset = 0;
  let line = 1;
  let resultsTime = mtime(resultsPath);
  let status = '';
  let polls = 0;
  const poll = () => {
    const now = size(eventsPath);
    if (now !== undefined && now < offset) {
      send('problem', `${eventsPath} became shorter (rewritten?): reading it again from the start`);
      send('reset', null);
      offset = 0;
      line = 1;
    }
    if (now !== undefined && now > offset) {
      const read = readAppendedEvents(eventsPath, offset, line, now);
      if (read.events.length > 0) send('events', read.events);
      for (const problem of read.problems) send('problem', problem);
      offset = read.next;
      line = read.nextLine;
    }
    const results = mtime(resultsPath);
    if (results !== resultsTime) {
      resultsTime = results;
      send('results', null);
    }
    if (polls++ % statusEvery === 0) {
      const summary = { dir: shownDir, ...summarizeRun(dir) };
      const next = JSON.stringify(summary);
      if (next !== status) send('status', summary);
      status = next;
    }
  };
  poll();
  const timer = setInterval(poll, pollMs);
  onClose(() => clearInterval(timer));
}
