/**
 * The real `lpt` CLI in a child process, as a user runs it: JSON events read from stdout as they
 * arrive, stderr kept, and waits for a number of events of a type or for a line on stderr.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');

export type Event = { type: string; [k: string]: unknown };

export interface Spawned {
  readonly pid: number;
  readonly kill: (signal: NodeJS.Signals) => void;
  /** Resolves with the JSON events printed so far once `count` of them have type `type`. */
  readonly waitFor: (type: string, count: number) => Promise<Event[]>;
  /** Resolves once stderr matches `pattern`. */
  readonly waitForStderr: (pattern: RegExp) => Promise<string>;
  readonly stderr: () => string;
  readonly done: Promise<{ code: number | null; events: Event[]; stdout: string; stderr: string }>;
}

export function lpt(cwd: string, ...args: string[]): Spawned {
  const child = spawn(process.execPath, [join(root, 'bin/lpt.js'), ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { ready: () => boolean; resolve: () => void; reject: (e: Error) => void }[] = [];
  const events = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{') && l.endsWith('}'))
      .map((l) => JSON.parse(l) as Event);
  const check = () => {
    for (const w of [...waiters]) {
      if (!w.ready()) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  let closed = false;
  const wait = <T>(ready: () => boolean, value: () => T) =>
    new Promise<T>((ok, fail) => {
      const reject = (e: Error) => fail(e);
      waiters.push({ ready, resolve: () => ok(value()), reject });
      check();
      if (closed)
        for (const w of waiters.splice(0)) w.reject(new Error(`lpt ${args.join(' ')} ended first:\n${stderr}`));
    });
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    check();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    check();
  });
  const done = new Promise<{ code: number | null; events: Event[]; stdout: string; stderr: string }>((ok) =>
    child.on('close', (code) => {
      closed = true;
      check();
      for (const w of waiters.splice(0))
        w.reject(new Error(`lpt ${args.join(' ')} ended (${code}) before what the test waits for:\n${stderr}`));
      ok({ code, events: events(), stdout, stderr });
    }),
  );
  return {
    pid: child.pid!,
    kill: (signal) => child.kill(signal),
    waitFor: (type, count) => wait(() => events().filter((e) => e.type === type).length >= count, events),
    waitForStderr: (pattern) =>
      wait(
        () => pattern.test(stderr),
        () => stderr,
      ),
    stderr: () => stderr,
    done,
  };
}
