/**
 * lpt's image pipeline against torchvision's (PIL decode and resize, then ToTensor) on the
 * fixtures of scripts/fixtures/make_pipeline_fixtures.py: decoding, center crops, and resizes
 * that shrink, enlarge or do both. Both paths resize like torch in the interior, within PIL's
 * rounding to bytes (at most 1/255). The sharp path also differs at the border when shrinking
 * (libvips repeats the edge pixel, up to 3/255 here); its resizes that enlarge an axis are PIL's
 * own resample and equal torchvision's bytes exactly; the JavaScript path decodes JPEG
 * differently from libjpeg (jpeg-js upsamples chroma by replication: up to 26/255 here, while
 * sharp's libjpeg-turbo decodes as PIL's does). The bounds are what was measured, with a little room;
 * docs/PERFORMANCE.md states the numbers.
 */
import path from 'node:path';
import test from 'ava';
import { PIPELINES, PIPELINE_FIXTURE_DIR as DIR, pipelineCases } from '../../../helpers/pipeline_fixture.ts';
import type { DecoderName } from '../../../../runtime/data/pipeline/decoder.ts';
import { runImageJob } from '../../../../runtime/data/pipeline/image_job.ts';

/** Largest and mean |difference| in 1/255 units, and the largest away from the 1-pixel border. */
function differences(got: Float32Array, bytes: number[], [c, h, w]: [number, number, number]) {
  let max = 0;
  let inner = 0;
  let sum = 0;
  for (let i = 0; i < c * h * w; i++) {
    const d = Math.abs(got[i]! * 255 - bytes[i]!);
    max = Math.max(max, d);
    sum += d;
    const [y, x] = [Math.floor(i / w) % h, i % w];
    if (y > 0 && y < h - 1 && x > 0 && x < w - 1) inner = Math.max(inner, d);
  }
  return { max, inner, mean: sum / (c * h * w) };
}

/** The cases whose resize enlarges an axis (photo.png is 64x48, photo.jpg 57x43). */
const ENLARGES = new Set(
  ['center20x16_resize36', 'center40x20_resize24x30']
    .flatMap((p) => [`photo.png ${p}`, `photo.jpg ${p}`])
    .concat('photo.jpg resize48x48'),
);

/** Measured bounds (1/255 units) per decoder and input format: [max, interior max, mean]. */
const BOUNDS: Record<DecoderName, Record<string, [number, number, number]>> = {
  js: { png: [1.05, 1.05, 0.35], jpg: [30, 30, 2.5] },
  sharp: { png: [3.5, 1.05, 0.35], jpg: [2.5, 1.05, 0.35] },
};

for (const decoder of ['js', 'sharp'] as DecoderName[]) {
  test(`${decoder}: the pipeline's images against torchvision's`, async (t) => {
    for (const c of pipelineCases) {
      const image = await runImageJob(
        { file: path.join(DIR, c.image), channels: 3, transforms: PIPELINES[c.pipeline]!, seed: 0, keys: [] },
        decoder,
      );
      t.deepEqual([image.channels, image.height, image.width], c.shape, c.pipeline);
      const d = differences(image.data, c.bytes, c.shape);
      const [max, inner, mean] = BOUNDS[decoder][path.extname(c.image).slice(1)]!;
      t.log(
        `${c.image} ${c.pipeline}: max ${d.max.toFixed(2)}, interior max ${d.inner.toFixed(2)}, mean ${d.mean.toFixed(3)} (/255)`,
      );
      t.true(d.max <= max && d.inner <= inner && d.mean <= mean, `${c.image} ${c.pipeline}`);
      if (decoder === 'sharp' && ENLARGES.has(`${c.image} ${c.pipeline}`)) {
        t.deepEqual(
          Array.from(image.data, (v) => Math.round(v * 255)),
          c.bytes,
          `${c.image} ${c.pipeline} enlarges an axis: PIL's bytes exactly`,
        );
      }
    }
  });
}
