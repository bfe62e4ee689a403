import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { reserveRunDirectory } from '../../../runtime/store/run_directory.ts';
import { acquireRunLock, lockPath, RunLockedError, type LockHolder } from '../../../runtime/store/run_lock.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'lpt-lock-'));

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

function writeLock(dir: string, holder: Partial<LockHolder>): void {
  const full: LockHolder = {
    pid: process.pid,
    host: hostname(),
    started: new Date().toISOString(),
    command: 'lpt run x.lpt',
    ...holder,
  };
  writeFileSync(lockPath(dir), JSON.stringify(full));
}

test('a lock names its holder, refuses a second taker naming the holder, and is gone once released', (t) => {
  const dir = fresh();
  const lock = acquireRunLock(dir, () => t.fail('no warning expected'), 'lpt run tiny.lpt');
  const written = JSON.parse(readFileSync(lockPath(dir), 'utf8')) as LockHolder;
  t.like(written, { pid: process.pid, host: hostname(), command: 'lpt run tiny.lpt' });
  t.false(Number.isNaN(Date.parse(written.started)));
  const error = t.throws(() => acquireRunLock(dir, () => {}), { instanceOf: RunLockedError });
  t.regex(
    error!.message,
    new RegExp(`is in use by pid ${process.pid} on ${hostname()} \\(started .*: lpt run tiny\\.lpt\\)`),
  );
  lock.release();
  t.false(existsSync(lockPath(dir)));
  acquireRunLock(dir, () => {}).release();
  t.deepEqual(readdirSync(dir), [], 'no drafts or stale copies left behind');
});

test("a dead holder's lock is taken over with a warning naming it", (t) => {
  const dir = fresh();
  const pid = deadPid();
  writeLock(dir, { pid });
  const warnings: string[] = [];
  const lock = acquireRunLock(dir, (w) => warnings.push(w));
  t.is(warnings.length, 1);
  t.regex(warnings[0]!, new RegExp(`took over the lock of pid ${pid} on ${hostname()}.*no longer running`));
  t.is((JSON.parse(readFileSync(lockPath(dir), 'utf8')) as LockHolder).pid, process.pid);
  lock.release();
});

test('a lock older than the last boot is dead even if its pid now exists', (t) => {
  const dir = fresh();
  writeLock(dir, { pid: process.pid, started: '2000-01-01T00:00:00.000Z' });
  const warnings: string[] = [];
  acquireRunLock(dir, (w) => warnings.push(w)).release();
  t.is(warnings.length, 1);
});

test("another host's lock and an unreadable lock are refused with what to do", (t) => {
  const dir = fresh();
  writeLock(dir, { host: 'elsewhere-node-7', pid: 4242 });
  const other = t.throws(() => acquireRunLock(dir, () => {}), { instanceOf: RunLockedError });
  t.regex(
    other!.message,
    /pid 4242 on elsewhere-node-7 .*cannot tell .* whether it still runs: if it does not, delete .*run\.lock/,
  );
  writeFileSync(lockPath(dir), '{"pid": 1, "ho');
  const torn = t.throws(() => acquireRunLock(dir, () => {}), { instanceOf: RunLockedError });
  t.regex(torn!.message, /run\.lock exists but cannot be read/);
});

test('releasing does not remove a lock that another process took over meanwhile', (t) => {
  const dir = fresh();
  const lock = acquireRunLock(dir, () => {});
  writeLock(dir, { pid: 999_999, started: new Date(Date.now() + 1000).toISOString() });
  lock.release();
  t.true(existsSync(lockPath(dir)));
});

test('run directories are created exclusively: a taken name gets a suffix', (t) => {
  const parent = fresh();
  const base = join(parent, 'tiny', '2026-11-30T17-00-18');
  const dirs = [reserveRunDirectory(base), reserveRunDirectory(base), reserveRunDirectory(base)];
  t.deepEqual(dirs, [base, `${base}_2`, `${base}_3`]);
  t.deepEqual(readdirSync(join(parent, 'tiny')).sort(), [
    '2026-11-30T17-00-18',
    '2026-11-30T17-00-18_2',
    '2026-11-30T17-00-18_3',
  ]);
});
