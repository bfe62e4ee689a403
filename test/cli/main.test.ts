/**
 * The command table and exit codes, in process (fast), plus one real spawn of bin/lpt.js to prove
 * the binary wiring (spawning through tsx is slow, so only one).
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { commands, main } from '../../cli/main.ts';
import { recordingIO } from '../helpers/cli_io.ts';

const root = resolve(import.meta.dirname, '../..');

test('no arguments prints the usage on stderr with exit 2', async (t) => {
  const io = recordingIO(root);
  t.is(await main([], io), 2);
  t.regex(io.err.join(''), /usage: lpt COMMAND/);
});

test('--help lists every command of the table', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['--help'], io), 0);
  for (const c of commands) t.true(io.out.join('').includes(c.name));
});

test('an unknown command is bad usage', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['chek'], io), 2);
  t.regex(io.err.join(''), /unknown command 'chek'/);
});

test('COMMAND --help prints that command usage', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['compile', '--help'], io), 0);
  t.regex(io.out.join(''), /--all-variants/);
});

test('an exception inside a command is an internal error, exit 3, without a stack trace', async (t) => {
  const io = recordingIO(root);
  const broken = {
    ...io,
    stdout: () => {
      throw new Error('stdout exploded');
    },
  };
  const code = await main(['check', 'experiments/quickstart.lpt'], broken);
  t.is(code, 3);
  t.regex(io.err.join(''), /internal error: stdout exploded/);
  t.notRegex(io.err.join(''), /\n\s+at /);
});

test('bin/lpt.js runs the CLI: check exits 0 on the quickstart and 1 on a broken file', async (t) => {
  const run = promisify(execFile);
  const ok = await run(process.execPath, ['bin/lpt.js', 'check', 'experiments/quickstart.lpt'], { cwd: root });
  t.regex(ok.stdout, /0 errors/);
  const bad = await run(
    process.execPath,
    ['bin/lpt.js', 'check', 'test/fixtures/compiler/diagnostics/2020-top-k-exceeds-pool.lpt'],
    { cwd: root },
  ).catch((e: { code: number; stdout: string }) => e);
  t.is((bad as { code: number }).code, 1);
  t.regex(
    (bad as { stdout: string }).stdout,
    /2020-top-k-exceeds-pool\.lpt:3:\d+: error: top 8 exceeds the pool size 4\. \[LPT2020\]/,
  );
});
