/**
 * A run on an image folder with random crops and flips: the images go through the worker pool
 * with read-ahead, the run says which decoder it uses, and a stopped and resumed run ends with
 * exactly the tensors of an uninterrupted one.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import sharp from 'sharp';
import type { RunEvent } from '../../../runtime/events.ts';
import { resumeExperiment, runExperiment } from '../../../runtime/run/run_experiment.ts';
import { readSafetensors } from '../../../runtime/weights/safetensors.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyExperiment, tinyPlans } from '../../helpers/tiny_run.ts';

const backend = { name: 'test', reason: 'test' };

const source = tinyExperiment
  .replace(
    /train = .*\n/,
    'train = image_folder(root: "imgs") | random_resized_crop(size: 28) | flip | normalize(mean: 0.5, std: 0.5)\n',
  )
  .replace(/test {2}= .*\n/, 'test = image_folder(root: "imgs") | resize(size: 32) | center_crop(size: 28) | normalize(mean: 0.5, std: 0.5)\n')
  .replace('shots(many: >15, few: <=5)', 'shots(many: >8, few: <=4)')
  .replace('  seed 3\n', '  seed 3\n  classes 3\n');

/** 3 classes of 12, 6 and 3 textured images of 30..45 px, JPEG and PNG. */
async function writeImages(dir: string): Promise<void> {
  for (const [label, count] of [12, 6, 3].entries()) {
    mkdirSync(join(dir, 'imgs', `c${label}`), { recursive: true });
    for (let i = 0; i < count; i++) {
      const [w, h] = [30 + ((i * 7) % 16), 30 + ((i * 5) % 16)];
      const raw = Buffer.from(Array.from({ length: w * h * 3 }, (_, k) => (k * (label + 3) + i * 17 + ((k * k) >> 7)) & 255));
      const image = sharp(raw, { raw: { width: w, height: h, channels: 3 } });
      const png = i % 2 === 0;
      await (png ? image.png() : image.jpeg({ quality: 90 })).toFile(join(dir, 'imgs', `c${label}`, `${i}.${png ? 'png' : 'jpg'}`));
    }
  }
}

function finalTensors(runDir: string) {
  const dir = join(runDir, 'checkpoints', 'tiny');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { file: string };
  return readSafetensors(join(dir, manifest.file));
}

test.before(async () => {
  await useTestBackend();
});

test('an image-folder run names its decoder, and stopping and resuming changes nothing', async (t) => {
  const { dir, plans } = tinyPlans(source);
  await writeImages(dir);
  const lpt = plans.filter((p) => p.variant === null);
  const events: RunEvent[] = [];
  await runExperiment(lpt, { runDir: join(dir, 'straight'), emit: (e) => events.push(e), backend });
  const data = events.find((e) => e.type === 'data_pipeline');
  t.truthy(data && data.type === 'data_pipeline' && /^sharp .*libvips/.test(data.decoder), JSON.stringify(data));

  let steps = 0;
  const first = await runExperiment(lpt, { runDir: join(dir, 'resumed'), emit: (e) => (steps += e.type === 'step' ? 1 : 0), backend, shouldStop: () => steps >= 3 });
  t.true(first.stopped);
  await resumeExperiment({ runDir: join(dir, 'resumed'), emit: () => {}, backend });
  const a = finalTensors(join(dir, 'straight'));
  const b = finalTensors(join(dir, 'resumed'));
  for (const [name, tensor] of a) t.deepEqual(b.get(name)!.data, tensor.data, name);
});
