import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../cli/main.ts';
import { recordingIO } from '../../helpers/cli_io.ts';

const root = resolve(import.meta.dirname, '../../..');

test('lpt view prints its URL, serves the runs, and stops on SIGTERM with status 0', async (t) => {
  const child = spawn(process.execPath, [join(root, 'bin/lpt.js'), 'view', 'test/fixtures/runs', '--port', '0'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((done, fail) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const match = /^(http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(stdout);
      if (match) done(match[1]!);
    });
    child.on('exit', (code) => fail(new Error(`lpt view exited (${code}): ${stderr}`)));
  });
  const runs = (await (await fetch(`${url}api/runs`)).json()) as { runs: { dir: string; status: string }[] };
  t.deepEqual(
    runs.runs.map((r) => r.dir),
    [
      'test/fixtures/runs/cifar100-lt',
      'test/fixtures/runs/corrupt',
      'test/fixtures/runs/incomplete',
      'test/fixtures/runs/quickstart',
    ],
  );
  t.regex(stderr, /serving the runs under test\/fixtures\/runs \(read only\)/);
  const exit = new Promise<number | null>((done) => child.on('exit', done));
  child.kill('SIGTERM');
  t.is(await exit, 0);
});

test('lpt view names a folder that does not exist, and bad usage', async (t) => {
  const io = recordingIO(mkdtempSync(join(tmpdir(), 'lpt-view-')));
  t.is(await main(['view'], io), 1);
  t.is(io.err.join(''), 'lpt view: runs: no such folder\n');
  const bad = recordingIO(root);
  t.is(await main(['view', '--port', 'http'], bad), 2);
  t.regex(bad.err.join(''), /--port must be a port number/);
});
