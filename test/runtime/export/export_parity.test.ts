/**
 * An export against PyTorch (scripts/fixtures/make_export_fixtures.py, test/fixtures/export/):
 * the fixture is an export whose files PyTorch read by hand and ran through the LPT authors'
 * forward pass (torchvision's ViT blocks, the authors' prompt, pool and NormedLinear layouts).
 * lpt reading the same files must give the same CLS features and cosine logits, and lpt's export
 * writer, given the same state, must write the same tensors under the same names.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildEnsemble, disposeEnsemble } from '../../../runtime/build/ensemble.ts';
import { prepareSplit } from '../../../runtime/build/splits.ts';
import { loadBatch } from '../../../runtime/data/batch.ts';
import { predictFeatures } from '../../../runtime/eval/predict.ts';
import { exportRun } from '../../../runtime/export/export_run.ts';
import { checkpointFromExport } from '../../../runtime/export/import_export.ts';
import { resolveModelPaths } from '../../../runtime/model/kernels/paths.ts';
import { applyHead } from '../../../runtime/model/head.ts';
import { COMPUTE_QUERIES } from '../../../runtime/model/query.ts';
import { readCheckpoint, restoreModules } from '../../../runtime/store/checkpoint.ts';
import { checkpointDir, createRunDirectory } from '../../../runtime/store/run_directory.ts';
import { readSafetensors } from '../../../runtime/weights/safetensors.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyExperiment, tinyPlans } from '../../helpers/tiny_run.ts';

const fixture = resolve('test/fixtures/export');
const expected = JSON.parse(readFileSync(join(fixture, 'expected.json'), 'utf8')) as {
  labels: number[];
  chosen: number[][];
  features: number[][];
  cosineLogits: number[][];
};

/** The tiny experiment (the fixture's architecture and modules) reading the fixture export. */
function fixturePlan() {
  const list = `split_list(root: "${fixture}", list: "${join(fixture, 'splits', 'test.txt')}")`;
  const source = tinyExperiment
    .replace('seed 3', 'seed 3\n  classes 10')
    .replace(/train = mnist\(split: train\) \| longtail\([^)]*\)/, `train = ${list}`)
    .replace(/test {2}= mnist\(split: test\) \| longtail\([^)]*\)/, `test  = ${list}`)
    .replace(
      'weights: "tiny.safetensors", naming: lpt',
      `weights: "${join(fixture, 'weights', 'vit.safetensors')}", naming: timm`,
    );
  return tinyPlans(source).plans[0]!;
}

test.before(async () => {
  await useTestBackend();
});

test.serial('lpt reads the export as PyTorch does: the same CLS features and cosine logits', async (t) => {
  const plan = fixturePlan();
  const dir = mkdtempSync(join(tmpdir(), 'lpt-export-parity-'));
  checkpointFromExport(fixture, plan, dir);
  const before = tf.memory().numTensors;
  const ensemble = buildEnsemble(plan, () => {}, resolveModelPaths());
  const saved = readCheckpoint(dir, plan.hash)!;
  restoreModules(ensemble.names.tensors, saved.modules);
  tf.dispose([...saved.modules.values()]);
  const split = await prepareSplit(plan.data.splits.find((s) => s.name === 'test')!);
  t.deepEqual([...split.dataset.labels], expected.labels);
  const indices = Int32Array.from(expected.labels, (_, i) => i);
  const batch = await loadBatch(split.dataset, indices, split.transforms, { seed: 0, keys: ['parity'] });
  const model = ensemble.experts[0]!.model;
  const x = tf.tensor4d(batch.images, [...batch.shape]);
  const features = await predictFeatures(model, x, indices, COMPUTE_QUERIES);
  const logits = tf.tidy(() => applyHead(model.head!, features, false));
  const close = (actual: Float32Array, wanted: number[][], what: string) => {
    const flat = wanted.flat();
    const worst = Math.max(...flat.map((w, i) => Math.abs(w - actual[i]!)));
    t.true(worst < 2e-4, `${what}: largest difference ${worst}`);
  };
  close((await features.data()) as Float32Array, expected.features, 'features');
  close((await logits.data()) as Float32Array, expected.cosineLogits, 'cosine logits');
  tf.dispose([x, features, logits]);
  disposeEnsemble(ensemble);
  t.is(tf.memory().numTensors, before);
});

test.serial("lpt's export writer, given the same state, writes the same tensors under the same names", async (t) => {
  const plan = fixturePlan();
  const runDir = join(mkdtempSync(join(tmpdir(), 'lpt-export-writer-')), 'run');
  createRunDirectory(runDir, [plan]);
  checkpointFromExport(fixture, plan, checkpointDir(runDir, plan));
  const out = join(runDir, '..', 'export');
  const manifest = await exportRun({ runDir, out });
  for (const file of ['vit.safetensors', 'trained.safetensors']) {
    const wrote = readSafetensors(join(out, 'weights', file));
    const wanted = readSafetensors(join(fixture, 'weights', file));
    t.deepEqual([...wrote.keys()].sort(), [...wanted.keys()].sort(), file);
    for (const [name, tensor] of wanted) t.deepEqual(wrote.get(name), tensor, `${file}: ${name}`);
  }
  // A split read from image files is listed relative to its own root, which the manifest names.
  t.is(
    readFileSync(join(out, 'splits', 'test.txt'), 'utf8'),
    readFileSync(join(fixture, 'splits', 'test.txt'), 'utf8'),
  );
  t.is(manifest.splits.find((s) => s.name === 'test')?.root, fixture);
});
