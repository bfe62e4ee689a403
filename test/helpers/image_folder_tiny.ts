/**
 * The tiny experiment on an image folder (random crops and flips for training, resize and center
 * crop for testing) and the folder itself: 3 classes of 12, 6 and 3 textured images of 30..45 px,
 * JPEG and PNG.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { tinyExperiment } from './tiny_run.ts';

export const imageFolderExperiment = tinyExperiment
  .replace(
    /train = .*\n/,
    'train = image_folder(root: "imgs") | random_resized_crop(size: 28) | flip | normalize(mean: 0.5, std: 0.5)\n',
  )
  .replace(
    /test {2}= .*\n/,
    'test = image_folder(root: "imgs") | resize(size: 32) | center_crop(size: 28) | normalize(mean: 0.5, std: 0.5)\n',
  )
  .replace('shots(many: >15, few: <=5)', 'shots(many: >8, few: <=4)')
  .replace('  seed 3\n', '  seed 3\n  classes 3\n');

/** Writes the folder `imgs/` of imageFolderExperiment under `dir`. */
export async function writeImageFolder(dir: string): Promise<void> {
  for (const [label, count] of [12, 6, 3].entries()) {
    mkdirSync(join(dir, 'imgs', `c${label}`), { recursive: true });
    for (let i = 0; i < count; i++) {
      const [w, h] = [30 + ((i * 7) % 16), 30 + ((i * 5) % 16)];
      const raw = Buffer.from(
        Array.from({ length: w * h * 3 }, (_, k) => (k * (label + 3) + i * 17 + ((k * k) >> 7)) & 255),
      );
      const image = sharp(raw, { raw: { width: w, height: h, channels: 3 } });
      const png = i % 2 === 0;
      await (png ? image.png() : image.jpeg({ quality: 90 })).toFile(
        join(dir, 'imgs', `c${label}`, `${i}.${png ? 'png' : 'jpg'}`),
      );
    }
  }
}
