/** `lpt fmt`: --check names files that would change (exit 1) and changes nothing; fmt rewrites them. */
import test from 'ava';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../../cli/main.ts';
import { recordingIO } from '../../helpers/cli_io.ts';

const root = resolve(import.meta.dirname, '../../..');

test('the shipped experiments pass --check', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['fmt', '--check', 'experiments/'], io), 0, io.out.join('\n'));
  t.regex(io.out.join(''), /0 of \d+ files would be reformatted/);
});

test('--check exits 1 naming the file and leaves it alone; fmt rewrites it; a broken file is refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-fmt-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(join(root, 'experiments'), join(dir, 'experiments'), { recursive: true });
  const messy = 'import "presets/vit_tiny.lpt"\nexperiment m extends tiny_vit{seed   1}\n';
  writeFileSync(join(dir, 'experiments/messy.lpt'), messy);

  const check = recordingIO(dir);
  t.is(await main(['fmt', '--check', 'experiments'], check), 1);
  t.deepEqual(
    check.out.filter((l) => l.startsWith('would reformat')),
    ['would reformat experiments/messy.lpt'],
  );
  t.is(readFileSync(join(dir, 'experiments/messy.lpt'), 'utf8'), messy);

  const write = recordingIO(dir);
  t.is(await main(['fmt', 'experiments/messy.lpt'], write), 0);
  t.is(
    readFileSync(join(dir, 'experiments/messy.lpt'), 'utf8'),
    'import "presets/vit_tiny.lpt"\nexperiment m extends tiny_vit { seed 1 }\n',
  );
  t.is(await main(['fmt', '--check', 'experiments'], recordingIO(dir)), 0);

  const broken = 'experiment b { seed 0\n';
  writeFileSync(join(dir, 'broken.lpt'), broken);
  const refused = recordingIO(dir);
  t.is(await main(['fmt', 'broken.lpt'], refused), 1);
  t.regex(refused.err.join(''), /broken\.lpt:1:22: error: .*\[LPT1102\][\s\S]*not formatted/);
  t.is(readFileSync(join(dir, 'broken.lpt'), 'utf8'), broken);
});

test('no files is bad usage', async (t) => {
  const io = recordingIO(root);
  t.is(await main(['fmt'], io), 2);
  t.regex(io.err.join(''), /usage: lpt fmt/);
});
