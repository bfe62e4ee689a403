/**
 * The sharp path's fused tail (bytes to floats with flip and normalize in one pass) equals the
 * separate transforms bit for bit, with the native addon's kernels and with the JavaScript loops.
 */
import test from 'ava';
import sharp from 'sharp';
import { useNativeImageKernels } from '../../../../runtime/data/pipeline/image_kernels.ts';
import { finishJob } from '../../../../runtime/data/pipeline/image_job.ts';
import { sharpGeometry } from '../../../../runtime/data/pipeline/sharp_image.ts';
import { type TransformSpec, applyTransforms } from '../../../../runtime/data/transforms.ts';
import { createRng } from '../../../../runtime/train/rng.ts';

const W = 61;
const H = 47;
const raw = Buffer.from(Array.from({ length: W * H * 3 }, (_, i) => (i * 37 + ((i * i) >> 5)) & 255));
const png = await sharp(raw, { raw: { width: W, height: H, channels: 3 } })
  .png()
  .toBuffer();

for (const [kernels, native] of [
  ['native kernels where built', true],
  ['JavaScript loops', false],
] as const) {
  for (const channels of [3, 1] as const) {
    for (const geometry of [
      [{ kind: 'randomResizedCrop', size: 12 }],
      [
        { kind: 'resize', size: 30 },
        { kind: 'centerCrop', size: 24 },
      ],
    ] as TransformSpec[][]) {
      test.serial(
        `${kernels}, ${channels} channel(s), ${geometry.map((g) => g.kind).join(' + ')}: fused flip and normalize equal the separate transforms`,
        async (t) => {
          useNativeImageKernels(native);
          t.teardown(() => useNativeImageKernels(true));
          const mean = channels === 3 ? [0.485, 0.456, 0.406] : [0.5];
          const std = channels === 3 ? [0.229, 0.224, 0.225] : [0.25];
          const tail: TransformSpec[] = [{ kind: 'flip' }, { kind: 'normalize', mean, std }];
          const transformed = async (transforms: TransformSpec[], rng: ReturnType<typeof createRng>) =>
            finishJob(
              { file: 'x.png', channels, transforms, seed: 0, keys: [] },
              await sharpGeometry(png, 'x.png', channels, transforms, rng),
            );
          let flips = 0;
          for (let k = 0; k < 8; k++) {
            const fused = await transformed([...geometry, ...tail], createRng(4, k));
            const rng = createRng(4, k);
            const separate = applyTransforms(tail, await transformed(geometry, rng), rng);
            t.deepEqual(
              [fused.channels, fused.height, fused.width],
              [separate.channels, separate.height, separate.width],
            );
            t.true(Buffer.from(fused.data.buffer).equals(Buffer.from(separate.data.buffer)), `image ${k}`);
            const plain = await transformed(geometry, createRng(4, k));
            // Unflipped, the fused image is the plain one normalized; a flipped one differs from it.
            flips += fused.data[0] === applyTransforms(tail.slice(1), plain, createRng(0)).data[0] ? 0 : 1;
          }
          t.true(flips > 0 && flips < 8, `some images flipped, some not (${flips} of 8)`);
        },
      );
    }
  }
}
