/**
 * `lpt export` on the command line: usage errors exit 2 with the usage, a run that cannot be
 * exported exits 1 with one clear line and no stack trace. (What an export holds is tested in
 * test/runtime/export/.)
 */
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../cli/main.ts';
import { recordingIO } from '../../helpers/cli_io.ts';

const cwd = mkdtempSync(join(tmpdir(), 'lpt-export-cli-'));

async function lptExport(args: string[]) {
  const io = recordingIO(cwd);
  const code = await main(['export', ...args], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

test('bad usage exits 2 and prints the usage', async (t) => {
  for (const args of [[], ['runs/x'], ['runs/x', '--out', 'e', '--seed', 'one'], ['a', 'b', '--out', 'e']]) {
    const { code, err } = await lptExport(args);
    t.is(code, 2, args.join(' '));
    t.regex(err, /usage: lpt export RUN_DIR/);
  }
});

test('a missing run directory exits 1 with one line naming it', async (t) => {
  const { code, err } = await lptExport(['runs/nope', '--out', 'exported']);
  t.is(code, 1);
  t.is(err, `lpt export: ${join(cwd, 'runs', 'nope')}: no such run directory`);
});

test('a folder that is no run directory is named, with what it lacks', async (t) => {
  const { code, err } = await lptExport(['.', '--out', 'exported']);
  t.is(code, 1);
  t.regex(err, /^lpt export: .*run\.json: no such file; is this a run directory made by 'lpt run'\?$/);
});
