/** Data sources by spec: each kind reaches its loader, relative paths resolve against the base folder. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { loadSource } from '../../../runtime/data/source.ts';

test('mnist by spec', async (t) => {
  const ds = await loadSource({ kind: 'mnist', split: 'test' });
  t.is(ds.labels.length, 10000);
  t.is(ds.name, 'mnist:test');
});

test('relative paths resolve against the base folder, and errors name the resolved file', async (t) => {
  const base = mkdtempSync(path.join(tmpdir(), 'lpt-source-'));
  mkdirSync(path.join(base, 'cifar'));
  writeFileSync(path.join(base, 'cifar', 'test_batch.bin'), Buffer.concat([Buffer.from([7]), Buffer.alloc(3072, 1)]));
  const ds = await loadSource({ kind: 'cifar10', dir: 'cifar', split: 'test' }, base);
  t.deepEqual(Array.from(ds.labels), [7]);
  await t.throwsAsync(loadSource({ kind: 'splitList', list: 'lists/train.txt', root: '.' }, base), {
    message: new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/lists/train\\.txt: file not found`),
  });
});
