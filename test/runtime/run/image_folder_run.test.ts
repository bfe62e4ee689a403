/**
 * A run on an image folder with random crops and flips: the images go through the worker pool
 * with read-ahead, the run says which decoder it uses, and a stopped and resumed run ends with
 * exactly the tensors of an uninterrupted one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { RunEvent } from '../../../runtime/events.ts';
import { resumeExperiment, runExperiment } from '../../../runtime/run/run_experiment.ts';
import { readSafetensors } from '../../../runtime/weights/safetensors.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { imageFolderExperiment, writeImageFolder } from '../../helpers/image_folder_tiny.ts';
import { tinyPlans } from '../../helpers/tiny_run.ts';

const backend = { name: 'test', reason: 'test' };

const source = imageFolderExperiment;

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
  await writeImageFolder(dir);
  const lpt = plans.filter((p) => p.variant === null);
  const events: RunEvent[] = [];
  await runExperiment(lpt, { runDir: join(dir, 'straight'), emit: (e) => events.push(e), backend });
  const data = events.find((e) => e.type === 'data_pipeline');
  t.truthy(data && data.type === 'data_pipeline' && /^sharp .*libvips/.test(data.decoder), JSON.stringify(data));

  let steps = 0;
  const first = await runExperiment(lpt, {
    runDir: join(dir, 'resumed'),
    emit: (e) => (steps += e.type === 'step' ? 1 : 0),
    backend,
    shouldStop: () => steps >= 3,
  });
  t.true(first.stopped);
  await resumeExperiment({ runDir: join(dir, 'resumed'), emit: () => {}, backend });
  const a = finalTensors(join(dir, 'straight'));
  const b = finalTensors(join(dir, 'resumed'));
  for (const [name, tensor] of a) t.deepEqual(b.get(name)!.data, tensor.data, name);
});
