/**
 * resampleRgb is PIL's bilinear resample bit for bit: torchvision's PIL pipelines of
 * scripts/fixtures/make_pipeline_fixtures.py (center crops, and resizes that shrink, enlarge or do
 * both) redone on the decoded PNG with cropRgb and resampleRgb alone give the same bytes, a
 * window gives the crop of the full result, and the native passes give the JavaScript ones' bytes.
 */
import path from 'node:path';
import test from 'ava';
import { PIPELINES, PIPELINE_FIXTURE_DIR as DIR, pipelineCases } from '../../../helpers/pipeline_fixture.ts';
import sharp from 'sharp';
import { planGeometry } from '../../../../runtime/data/pipeline/geometry.ts';
import { type RgbPixels, cropRgb, resampleRgb } from '../../../../runtime/data/pipeline/resample_rgb.ts';
import { createRng } from '../../../../runtime/train/rng.ts';
import { useNativeImageKernels } from '../../../../runtime/data/pipeline/image_kernels.ts';
import { nativeTest } from '../../../helpers/native.ts';

const planar = (p: RgbPixels) =>
  Array.from(
    { length: 3 * p.height * p.width },
    (_, i) => p.data[3 * (i % (p.height * p.width)) + Math.floor(i / (p.height * p.width))]!,
  );

test('crops and resamples of the decoded PNG equal torchvision/PIL byte for byte', async (t) => {
  const { data, info } = await sharp(path.join(DIR, 'photo.png'))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const cases = pipelineCases.filter((c) => c.image === 'photo.png');
  t.is(cases.length, Object.keys(PIPELINES).length);
  for (const c of cases) {
    let pixels: RgbPixels = { data, height: info.height, width: info.width };
    for (const op of planGeometry(PIPELINES[c.pipeline]!, pixels.height, pixels.width, createRng(0)).ops) {
      pixels = op.kind === 'crop' ? cropRgb(pixels, op) : resampleRgb(pixels, op.height, op.width);
    }
    t.deepEqual([3, pixels.height, pixels.width], c.shape, c.pipeline);
    t.deepEqual(planar(pixels), c.bytes, c.pipeline);
  }
});

test('a window of a resample is the same crop of the full result', (t) => {
  const src: RgbPixels = {
    data: Uint8Array.from({ length: 23 * 31 * 3 }, (_, i) => (i * 97 + ((i * i) >> 3)) & 255),
    height: 23,
    width: 31,
  };
  for (const [h, w] of [
    [40, 50],
    [12, 50],
    [40, 17],
    [23, 60],
    [50, 31],
    [23, 31],
  ] as const) {
    const full = resampleRgb(src, h, w);
    for (const window of [
      { top: 0, left: 0, height: h, width: w },
      { top: 3, left: 5, height: h - 6, width: w - 9 },
      { top: h - 1, left: w - 1, height: 1, width: 1 },
    ]) {
      t.deepEqual(resampleRgb(src, h, w, window), cropRgb(full, window), `${h}x${w} ${JSON.stringify(window)}`);
    }
  }
});

test('a window outside the result is refused', (t) => {
  const src: RgbPixels = { data: new Uint8Array(4 * 4 * 3), height: 4, width: 4 };
  t.throws(() => resampleRgb(src, 8, 8, { top: 4, left: 0, height: 5, width: 8 }), {
    message: /cannot resample 4x4 to 8x8/,
  });
});

nativeTest("the native passes give the JavaScript passes' bytes (shrinks, enlargements, mixed, windows)", (t) => {
  const src: RgbPixels = {
    data: Uint8Array.from({ length: 37 * 53 * 3 }, (_, i) => (i * 131 + ((i * i) >> 4)) & 255),
    height: 37,
    width: 53,
  };
  const sizes = [
    [20, 30],
    [80, 90],
    [20, 90],
    [80, 30],
    [37, 70],
    [60, 53],
    [1, 1],
  ] as const;
  for (const [h, w] of sizes) {
    for (const window of [
      { top: 0, left: 0, height: h, width: w },
      { top: Math.floor(h / 3), left: Math.floor(w / 4), height: Math.ceil(h / 2), width: Math.ceil(w / 2) },
    ]) {
      const native = resampleRgb(src, h, w, window);
      useNativeImageKernels(false);
      const js = resampleRgb(src, h, w, window);
      useNativeImageKernels(true);
      t.deepEqual(native, js, `${h}x${w} ${JSON.stringify(window)}`);
    }
  }
});
