import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import test from 'ava';
import { writeFileAtomic } from '../../io/atomic.ts';

test('writeFileAtomic replaces the file whole', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-atomic-'));
  const target = join(dir, 'sub', 'results.json');
  writeFileAtomic(target, 'first');
  writeFileAtomic(target, new Uint8Array([104, 105]));
  t.is(readFileSync(target, 'utf8'), 'hi');
  t.deepEqual(readdirSync(join(dir, 'sub')), ['results.json']);
});

test('a write cut short by a file-size limit throws and keeps the old content (no truncated file renamed into place)', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-atomic-'));
  const target = join(dir, 'checkpoint.bin');
  writeFileSync(target, 'old');
  const atomic = resolve(import.meta.dirname, '../../io/atomic.ts');
  // write(2) under `ulimit -f 4` (4 KiB) writes the first 4 KiB of the 16 KiB, then fails with EFBIG.
  const script = `
    import { writeFileAtomic } from ${JSON.stringify(atomic)};
    try { writeFileAtomic(${JSON.stringify(target)}, new Uint8Array(16384).fill(7)); console.log('written'); }
    catch (e) { console.log(e.code); }`;
  const out = execFileSync(
    'bash',
    ['-c', 'ulimit -f 4 && exec "$0" --import tsx --input-type=module -e "$1"', process.execPath, script],
    {
      cwd: resolve(import.meta.dirname, '../..'),
      encoding: 'utf8',
    },
  );
  t.is(out.trim(), 'EFBIG');
  t.is(readFileSync(target, 'utf8'), 'old');
  t.deepEqual(readdirSync(dir), ['checkpoint.bin']);
});
