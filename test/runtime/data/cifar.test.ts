/** CIFAR-10/100 binary records on small generated files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import { cifarFiles, loadCifar, loadCifarBinary } from '../../../runtime/data/cifar.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lpt-cifar-'));
const PIXELS = 3072;

/** Records whose pixels are (record index + 7 * channel) mod 256, so layout errors show. */
function records(labels: number[][]): Buffer {
  return Buffer.concat(
    labels.map((ls, r) => {
      const pixels = Buffer.alloc(PIXELS);
      for (let c = 0; c < 3; c++) pixels.fill((r + 7 * c) % 256, c * 1024, (c + 1) * 1024);
      return Buffer.concat([Buffer.from(ls), pixels]);
    }),
  );
}

test('CIFAR-10 records: label byte then the R, G, B planes, concatenated over files', async (t) => {
  const a = path.join(dir, 'a.bin');
  const b = path.join(dir, 'b.bin');
  writeFileSync(a, records([[3], [9]]));
  writeFileSync(b, records([[0]]));
  const ds = await loadCifarBinary([a, b], { variant: 10 });
  t.deepEqual(Array.from(ds.labels), [3, 9, 0]);
  t.deepEqual(ds.shape, [3, 32, 32]);
  t.is(ds.images[PIXELS + 1024], 1 + 7); // record 1, green plane
  t.is(ds.images[2 * PIXELS + 2048 + 5], 14); // record 0 of file b, blue plane
  t.is(ds.counts[3], 1);
});

test('CIFAR-100 records: fine label by default, coarse on request', async (t) => {
  const f = path.join(dir, 'train.bin');
  writeFileSync(
    f,
    records([
      [4, 57],
      [19, 99],
    ]),
  );
  writeFileSync(path.join(dir, 'coarse_label_names.txt'), Array.from({ length: 20 }, (_, i) => `c${i}`).join('\n'));
  const fine = await loadCifar(dir, 100, 'train');
  t.deepEqual(Array.from(fine.labels), [57, 99]);
  t.is(fine.classes, 100);
  t.is(fine.classNames, undefined);
  const coarse = await loadCifar(dir, 100, 'train', 'coarse');
  t.deepEqual(Array.from(coarse.labels), [4, 19]);
  t.is(coarse.classNames?.[19], 'c19');
  t.deepEqual(
    cifarFiles('/d', 10, 'train').map((p) => path.basename(p)),
    [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
  );
});

test('a wrong file size or label names the file (and record)', async (t) => {
  const short = path.join(dir, 'short.bin');
  writeFileSync(short, Buffer.alloc(PIXELS));
  await t.throwsAsync(loadCifarBinary([short], { variant: 10 }), {
    message: /short\.bin: size 3072 is not a multiple/,
  });
  const bad = path.join(dir, 'bad.bin');
  writeFileSync(bad, records([[1], [12]]));
  await t.throwsAsync(loadCifarBinary([bad], { variant: 10 }), { message: /bad\.bin: record 1 has label 12/ });
  await t.throwsAsync(loadCifarBinary([path.join(dir, 'none.bin')], { variant: 10 }), {
    message: /none\.bin: file not found/,
  });
});
