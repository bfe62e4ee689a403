/**
 * The worker pool gives exactly the batch the in-thread loader gives (same decoder, same
 * per-image streams), for both decoders and for training and test pipelines; errors from a worker
 * still name the list file, the line and the image.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import test from 'ava';
import sharp from 'sharp';
import { loadBatch } from '../../../../runtime/data/batch.ts';
import { loadSplitList } from '../../../../runtime/data/files.ts';
import { chooseDecoder, type DecoderName } from '../../../../runtime/data/pipeline/decoder.ts';
import { inThreadLoader } from '../../../../runtime/data/pipeline/image_job.ts';
import { startImagePool } from '../../../../runtime/data/pipeline/pool.ts';
import type { TransformSpec } from '../../../../runtime/data/transforms.ts';

const root = mkdtempSync(path.join(tmpdir(), 'lpt-pool-'));

/** A textured w x h RGB image, so crops and resizes have something to move. */
function texture(w: number, h: number, seed: number): Buffer {
  const data = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = 3 * (y * w + x);
      data[p] = (x * 7 + seed * 31) & 255;
      data[p + 1] = (y * 5 + ((x * y) >> 3)) & 255;
      data[p + 2] = ((x ^ y) * 3 + seed) & 255;
    }
  }
  return data;
}

const sizes: [number, number][] = [
  [40, 30],
  [24, 48],
  [33, 33],
  [64, 20],
  [18, 26],
  [50, 41],
];
const lines = await Promise.all(
  sizes.map(async ([w, h], i) => {
    const raw = sharp(texture(w, h, i), { raw: { width: w, height: h, channels: 3 } });
    const name = `img${i}.${i % 2 === 0 ? 'jpg' : 'png'}`;
    writeFileSync(path.join(root, name), await (i % 2 === 0 ? raw.jpeg({ quality: 90 }) : raw.png()).toBuffer());
    return `${name} ${i % 3}`;
  }),
);
writeFileSync(path.join(root, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 1, 2, 3]));
writeFileSync(path.join(root, 'list.txt'), `${lines.join('\n')}\nbroken.jpg 1\n`);
const dataset = await loadSplitList(path.join(root, 'list.txt'), root);
const all = Int32Array.from(sizes.keys());

const mean = [0.485, 0.456, 0.406];
const std = [0.229, 0.224, 0.225];
const pipelines: Record<string, TransformSpec[]> = {
  train: [{ kind: 'randomResizedCrop', size: 16 }, { kind: 'flip' }, { kind: 'normalize', mean, std }],
  test: [
    { kind: 'resize', size: 20 },
    { kind: 'centerCrop', size: 16 },
    { kind: 'normalize', mean, std },
  ],
};

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

for (const name of ['sharp', 'js'] as DecoderName[]) {
  test(`${name}: the worker pool gives the same batch bits as the in-thread loader`, async (t) => {
    const decoder = await chooseDecoder(name);
    const pool = await startImagePool(2, decoder);
    t.teardown(() => pool.close());
    for (const [pipeline, transforms] of Object.entries(pipelines)) {
      for (const step of [0, 1]) {
        const key = { seed: 3, keys: ['augment', 'one', 0, step, 'ib'] };
        const inThread = await loadBatch(dataset, all, transforms, key, inThreadLoader(decoder));
        const pooled = await loadBatch(dataset, all, transforms, key, pool);
        t.deepEqual(inThread.shape, [6, 3, 16, 16], pipeline);
        t.true(bytes(inThread.images).equals(bytes(pooled.images)), `${pipeline} step ${step}`);
      }
    }
    const a = await loadBatch(dataset, all, pipelines.train!, { seed: 3, keys: [0] }, pool);
    const b = await loadBatch(dataset, all, pipelines.train!, { seed: 3, keys: [1] }, pool);
    t.false(bytes(a.images).equals(bytes(b.images)), 'another step draws other crops');
  });

  test(`${name}: a corrupt image read by a worker names the list file, the line and the image`, async (t) => {
    const pool = await startImagePool(1, await chooseDecoder(name));
    t.teardown(() => pool.close());
    await t.throwsAsync(loadBatch(dataset, Int32Array.of(0, 6), pipelines.test!, { seed: 0, keys: [] }, pool), {
      message: /list\.txt:7: .*broken\.jpg: corrupt JPEG image/,
    });
    const ok = await loadBatch(dataset, Int32Array.of(1), pipelines.test!, { seed: 0, keys: [] }, pool);
    t.deepEqual(ok.shape, [1, 3, 16, 16], 'the pool keeps working after a bad image');
  });
}

test('sharp and the JavaScript decoder draw the same crops: on PNG (lossless) they differ only by resampling', async (t) => {
  const pngs = Int32Array.of(1, 3, 5);
  const transforms: TransformSpec[] = [{ kind: 'randomResizedCrop', size: 16 }, { kind: 'flip' }];
  for (let step = 0; step < 6; step++) {
    const key = { seed: 9, keys: [step] };
    const viaSharp = await loadBatch(dataset, pngs, transforms, key, inThreadLoader(await chooseDecoder('sharp')));
    const viaJs = await loadBatch(dataset, pngs, transforms, key, inThreadLoader(await chooseDecoder('js')));
    // libvips repeats the edge pixel where torch renormalises the clipped filter: compare the
    // border loosely, the interior tightly (bytes vs floats, libvips' fixed-point weights).
    let inner = 0;
    let total = 0;
    viaSharp.images.forEach((v, i) => {
      const d = Math.abs(v - viaJs.images[i]!);
      total += d;
      const [y, x] = [Math.floor(i / 16) % 16, i % 16];
      if (y > 0 && y < 15 && x > 0 && x < 15) inner = Math.max(inner, d);
    });
    t.true(inner <= 2.5 / 255, `step ${step}: largest interior difference ${(inner * 255).toFixed(2)}/255`);
    t.true(
      total / viaSharp.images.length <= 1 / 255,
      `step ${step}: mean difference ${((total / viaSharp.images.length) * 255).toFixed(2)}/255`,
    );
  }
});
