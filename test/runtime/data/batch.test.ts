/** Batches: stacking, transforms per image from its own stream, determinism, and shape checks. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import pngjs from 'pngjs';
import type { FileDataset, InMemoryDataset } from '../../../runtime/data/dataset.ts';
import { loadBatch, loadImage } from '../../../runtime/data/batch.ts';

/** Four 1x4x4 byte images whose pixels are all (image index * 10). */
const dataset: InMemoryDataset = {
  kind: 'memory',
  name: 'toy',
  images: Uint8Array.from({ length: 4 * 16 }, (_, i) => Math.floor(i / 16) * 10),
  shape: [1, 4, 4],
  labels: Int32Array.of(0, 1, 1, 0),
  classes: 2,
  counts: Int32Array.of(2, 2),
};

test('a batch stacks the images at the indices as [B, C, H, W] floats with their labels', async (t) => {
  const batch = await loadBatch(dataset, Int32Array.of(3, 1), [], { seed: 0, keys: [] });
  t.deepEqual(batch.shape, [2, 1, 4, 4]);
  t.deepEqual(Array.from(batch.labels), [0, 1]);
  t.is(batch.images[0], Math.fround(30 / 255));
  t.is(batch.images[16], Math.fround(10 / 255));
  t.deepEqual(Array.from(batch.indices), [3, 1]);
});

test('transforms run per image, reproducibly for the same stream', async (t) => {
  const transforms = [
    { kind: 'padCrop', size: 4, padding: 2 },
    { kind: 'normalize', mean: [0.5], std: [0.5] },
  ] as const;
  const a = await loadBatch(dataset, Int32Array.of(0, 1, 2, 3), transforms, { seed: 5, keys: ['augment', 0, 0] });
  const b = await loadBatch(dataset, Int32Array.of(0, 1, 2, 3), transforms, { seed: 5, keys: ['augment', 0, 0] });
  const c = await loadBatch(dataset, Int32Array.of(0, 1, 2, 3), transforms, { seed: 5, keys: ['augment', 0, 1] });
  t.deepEqual(a.images, b.images);
  t.notDeepEqual(a.images, c.images);
  t.true(a.images.includes(-1)); // zero padding normalised
});

test('float datasets are passed through as stored', async (t) => {
  const floats: InMemoryDataset = { ...dataset, images: Float32Array.from({ length: 64 }, (_, i) => i / 2) };
  const image = await loadImage(floats, 2);
  t.is(image.data[0], 16);
});

test('images of different sizes without a resize are refused, naming the file; bad indices too', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lpt-batch-'));
  const files = [
    [3, 2],
    [5, 4],
  ].map(([w, h], i) => {
    const file = path.join(dir, `${i}.png`);
    writeFileSync(file, pngjs.PNG.sync.write(new pngjs.PNG({ width: w!, height: h! })));
    return file;
  });
  const mixed: FileDataset = {
    kind: 'files',
    name: 'mixed',
    files,
    labels: Int32Array.of(0, 1),
    classes: 2,
    counts: Int32Array.of(1, 1),
    channels: 3,
  };
  await t.throwsAsync(loadBatch(mixed, Int32Array.of(0, 1), [], { seed: 0, keys: [] }), {
    message: /1\.png: image is 3x4x5 after transforms .* add a resize/,
  });
  const fixed = await loadBatch(mixed, Int32Array.of(0, 1), [{ kind: 'resize', size: [4, 4] }], { seed: 0, keys: [] });
  t.deepEqual(fixed.shape, [2, 3, 4, 4]);
  await t.throwsAsync(loadImage(dataset, 4), { message: /outside toy/ });
});
