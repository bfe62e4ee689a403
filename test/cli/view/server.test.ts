import test from 'ava';
import { appendFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { startViewServer } from '../../../cli/view/server.ts';
import { appendEvents, handMadeRunDir, prepareRunDirs, runStart, step } from '../../helpers/run_dir_fixture.ts';

test.before(prepareRunDirs);

/** A raw GET (the path sent as is, `..` included), with the Host header given. */
function get(url: string, path: string, host?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers: host ? { host } : {} }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function serve(t: { teardown: (fn: () => Promise<void>) => void }, roots: string[]) {
  const server = await startViewServer({ roots, host: '127.0.0.1', port: 0, cwd: roots[0]! });
  t.teardown(() => server.close());
  return server;
}

test('serves the page, its assets and runs found under the roots; nothing else', async (t) => {
  const dir = handMadeRunDir();
  appendEvents(dir, [runStart()]);
  const root = join(dir, '..', '..');
  const { url } = await serve(t, [root]);
  const page = await get(url, '/');
  t.is(page.status, 200);
  t.regex(page.body, /<script src="\/assets\/main\.js"><\/script>/);
  t.is((await get(url, '/assets/uplot.js')).status, 200);
  t.is((await get(url, '/assets/../package.json')).status, 404);
  t.is((await get(url, '/assets/%2e%2e%2fpackage.json')).status, 404);
  t.is((await get(url, '/tiny/run-1/events.jsonl')).status, 404);
  const runs = JSON.parse((await get(url, '/api/runs')).body) as { runs: { id: string; dir: string }[] };
  t.deepEqual(
    runs.runs.map((r) => [r.id, r.dir]),
    [['0/tiny/run-1', 'tiny/run-1']],
  );
  const outside = await get(url, `/api/report?run=${encodeURIComponent('0/../../etc')}`);
  t.is(outside.status, 404);
  t.regex(outside.body, /no run '0\/..\/..\/etc' under the served folders/);
  t.is((await get(url, '/api/events?run=nope')).status, 404);
});

test('on loopback a request naming another host is refused (DNS rebinding)', async (t) => {
  const { url } = await serve(t, [handMadeRunDir()]);
  const refused = await get(url, '/api/runs', 'attacker.example:8350');
  t.is(refused.status, 421);
  t.is((await get(url, '/api/runs', `localhost:${new URL(url).port}`)).status, 200);
});

test('the event stream sends the events written so far, then each line as the run appends it', async (t) => {
  const dir = handMadeRunDir();
  appendEvents(dir, [runStart(), step(1)]);
  const { url } = await serve(t, [join(dir, '..', '..')]);
  const { hostname, port } = new URL(url);
  const received: string[] = [];
  const seen = (n: number) =>
    new Promise<void>((resolve) => {
      const check = setInterval(() => {
        const steps = received.join('').match(/"type":"step"/g)?.length ?? 0;
        if (steps >= n) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
  const req = request({ hostname, port, path: '/api/events?run=0%2Ftiny%2Frun-1' }, (res) => {
    t.is(res.headers['content-type'], 'text/event-stream; charset=utf-8');
    res.on('data', (d: Buffer) => received.push(d.toString()));
  });
  req.end();
  t.teardown(() => req.destroy());
  await seen(1);
  appendEvents(dir, [step(2), step(3)]);
  await seen(3);
  // A line written in two pieces is sent once, whole, after its newline.
  const line = JSON.stringify({ time: 1, ...step(4) });
  appendFileSync(join(dir, 'events.jsonl'), line.slice(0, 40));
  await new Promise((resolve) => setTimeout(resolve, 600));
  appendFileSync(join(dir, 'events.jsonl'), `${line.slice(40)}\n`);
  await seen(4);
  t.is(received.join('').match(/"runStep":4,/g)?.length, 1);
  t.notRegex(received.join(''), /event: problem/);
  const text = received.join('');
  t.regex(text, /event: events\ndata: \[\{"time":\d+,"type":"run_start"/);
  t.regex(text, /event: status\ndata: \{"dir":"tiny\/run-1","experiment":"tiny"/);
});
