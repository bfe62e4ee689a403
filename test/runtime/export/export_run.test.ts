/**
 * `lpt export` end to end on the tiny experiment: the export holds what docs/RUN_DIRECTORY.md
 * says, a plan that reads it back (its split lists, its timm-named backbone, its trained tensors)
 * gets the run's accuracy class for class, and bad requests get clear errors.
 */
import test from 'ava';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResults } from '../../../plan/results.ts';
import type { RunEvent } from '../../../runtime/events.ts';
import { exportRun, type ExportManifest } from '../../../runtime/export/export_run.ts';
import { ExportError } from '../../../runtime/export/export_error.ts';
import { checkpointFromExport } from '../../../runtime/export/import_export.ts';
import { runPlan } from '../../../runtime/run/run_plan.ts';
import { runExperiment } from '../../../runtime/run/run_experiment.ts';
import { createRunDirectory } from '../../../runtime/store/run_directory.ts';
import { parseSafetensors } from '../../../runtime/weights/safetensors.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyExperiment, tinyPlans } from '../../helpers/tiny_run.ts';
import { tinyLptppExperiment, tinyLptppPlans } from '../../helpers/tiny_lptpp.ts';

const backend = { name: 'test', reason: 'test' };
let runDir = '';
let results: RunResults;

test.before(async () => {
  await useTestBackend();
  const { dir, plans } = tinyPlans();
  runDir = join(dir, 'run');
  await runExperiment(plans, { runDir, emit: () => {}, backend });
  results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;
});

const tensorsOf = (file: string) => parseSafetensors(readFileSync(file), file);
const shapes = (file: string) => Object.fromEntries([...tensorsOf(file).tensors].map(([n, t]) => [n, t.shape]));

test.serial(
  'the export holds the trained tensors in the authors names, the backbone in timm names, the splits and a manifest',
  async (t) => {
    const out = join(runDir, '..', 'export-lpt');
    const manifest = await exportRun({ runDir, out, variant: 'tiny' });
    t.like(manifest, { format: 'lpt-export', variant: 'tiny', seed: 3, phase: 'two', phaseFinished: true });
    t.deepEqual(manifest.phasesTrained, ['one', 'two']);
    t.is(manifest.planHash, results.variants[0]!.planHash ?? '');
    // Tiny plan: dim 16, depth 2, shared prompt length 2 in both blocks, a pool of 4 in block 2, 10 classes.
    t.deepEqual(shapes(join(out, 'weights', 'trained.safetensors')), {
      'prompt_learner.Prompt_Tokens': [2, 2, 16],
      'prompt_learner.Prompt_Tokens_pool': [4, 1, 2, 16],
      'prompt_learner.Prompt_Keys': [4, 16],
      'prompt_learner.head.weight': [16, 10],
    });
    const trained = tensorsOf(join(out, 'weights', 'trained.safetensors')).metadata;
    t.like(trained, {
      'lpt.prompt_layers': '0,1',
      'lpt.pool_layers': '1',
      'lpt.pool_top_k': '2',
      'lpt.head_scale': '20',
    });
    const backbone = shapes(join(out, 'weights', 'vit.safetensors'));
    t.deepEqual(backbone['patch_embed.proj.weight'], [16, 1, 7, 7]);
    t.deepEqual(backbone['blocks.1.attn.qkv.weight'], [48, 16]);
    t.deepEqual(backbone['pos_embed'], [1, 17, 16]);
    t.true('norm.weight' in backbone && 'cls_token' in backbone && 'blocks.0.mlp.fc1.weight' in backbone);

    // Splits: one line per image, the run's training counts, PNG files beside them.
    const train = readFileSync(join(out, 'splits', 'train.txt'), 'utf8')
      .trim()
      .split('\n');
    const counts = new Array<number>(10).fill(0);
    for (const line of train) counts[Number(line.split(' ')[1])]! += 1;
    t.deepEqual(counts, results.variants[0]!.trainCounts);
    const png = await sharp(join(out, train[0]!.split(' ')[0]!)).metadata();
    t.like(png, { format: 'png', width: 28, height: 28, channels: 1, depth: 'uchar' }, 'grey 8-bit, as MNIST holds it');
    t.deepEqual(readFileSync(join(out, 'classes.txt'), 'utf8').trim().split('\n'), [...'0123456789']);
    t.deepEqual(
      manifest.splits.map((s) => [s.name, s.root, s.transforms.map((x) => x.kind)]),
      [
        ['train', '.', ['normalize']],
        ['test', '.', ['normalize']],
      ],
    );
    // The manifest lists every other file with its sha256.
    const listed = checkFiles(out, manifest);
    t.is(listed, countFiles(out) - 1);
  },
);

test.serial('a plan reading the export back gets the run accuracy, class for class', async (t) => {
  const out = join(runDir, '..', 'export-reload');
  await exportRun({ runDir, out, variant: 'tiny' });
  const list = (split: string) => `split_list(root: "${out}", list: "${join(out, 'splits', `${split}.txt`)}")`;
  const source = tinyExperiment
    .replace('seed 3', 'seed 3\n  classes 10')
    .replace(/train = mnist\(split: train\) \| longtail\([^)]*\)/, `train = ${list('train')}`)
    .replace(/test {2}= mnist\(split: test\) \| longtail\([^)]*\)/, `test  = ${list('test')}`)
    .replace(
      'weights: "tiny.safetensors", naming: lpt',
      `weights: "${join(out, 'weights', 'vit.safetensors')}", naming: timm`,
    );
  t.false(source.includes('mnist('), 'both splits read the export');
  const plan = tinyPlans(source).plans[0]!;
  const reloadDir = join(runDir, '..', 'reload');
  const checkpointDir = join(reloadDir, 'checkpoints');
  mkdirSync(checkpointDir, { recursive: true });
  checkpointFromExport(out, plan, checkpointDir);
  const before = tf.memory().numTensors;
  const events: RunEvent[] = [];
  const emit = (e: RunEvent) => events.push(e);
  const result = await runPlan(plan, { variant: 'reload', checkpointDir, emit, backend, runDir: reloadDir });
  // Nothing trains: every phase is resumed past, so the accuracy is the exported tensors'.
  t.is(events.filter((e) => e.type === 'step').length, 0);
  t.is(tf.memory().numTensors, before);
  if (result === 'stopped') return t.fail('the reload stopped');
  const original = results.variants[0]!;
  t.deepEqual(result.trainCounts, original.trainCounts);
  t.deepEqual(
    result.perClass.correct,
    original.perClass!.map((c) => c.correct),
  );
  t.deepEqual(result.accuracy, original.accuracy);
});

test.serial(
  '--phase one exports the phase-1 state: the shared prompt and the head, as phase1.pth holds them',
  async (t) => {
    const out = join(runDir, '..', 'export-one');
    const manifest = await exportRun({ runDir, out, variant: 'tiny', phase: '1' });
    t.like(manifest, { phase: 'one', phaseFinished: true, checkpoint: 'one-e2-s0.safetensors' });
    t.deepEqual(manifest.phasesTrained, ['one']);
    t.deepEqual(Object.keys(shapes(join(out, 'weights', 'trained.safetensors'))), [
      'prompt_learner.Prompt_Tokens',
      'prompt_learner.head.weight',
    ]);
  },
);

test.serial('bad requests get clear errors and leave nothing behind', async (t) => {
  const parent = join(runDir, '..');
  const fails = async (options: Parameters<typeof exportRun>[0], message: RegExp) => {
    const error = await t.throwsAsync(exportRun(options), { message });
    t.true(error instanceof ExportError || error?.name === 'RunDirectoryError', String(error));
    t.false(existsSync(options.out));
  };
  await fails({ runDir: join(parent, 'nope'), out: join(parent, 'e1') }, /nope: no such run directory/);
  await fails({ runDir, out: join(parent, 'e2') }, /holds 2 plans; pick one with --variant NAME/);
  await fails(
    { runDir, out: join(parent, 'e3'), variant: 'LPT' },
    /holds no variant 'LPT'; it holds 'tiny' \(seed 3\), 'VPT' \(seed 3\)/,
  );
  await fails({ runDir, out: join(parent, 'e4'), variant: 'tiny', seed: 1 }, /holds no variant 'tiny' and seed 1/);
  await fails(
    { runDir, out: join(parent, 'e5'), variant: 'tiny', phase: 'three' },
    /--phase three: the plan has no such phase \(its phases: one, two, or 1-2\)/,
  );
  await fails(
    { runDir, out: join(parent, 'e6'), variant: 'VPT', phase: 'two' },
    /--phase two: the plan has no such phase/,
  );
  await t.throwsAsync(exportRun({ runDir, out: join(parent, 'export-lpt'), variant: 'tiny' }), {
    message: /export-lpt: already exists; give --out a new folder/,
  });
  const empty = join(parent, 'empty-run');
  createRunDirectory(empty, tinyPlans().plans);
  await fails(
    { runDir: empty, out: join(parent, 'e7'), variant: 'VPT' },
    /no checkpoint; the variant has not finished an epoch/,
  );
  // A failure while writing (the backbone's weights file is gone) leaves neither the export nor the temporary folder.
  const weights = join(parent, 'tiny.safetensors');
  renameSync(weights, `${weights}.away`);
  try {
    await t.throwsAsync(exportRun({ runDir, out: join(parent, 'e8'), variant: 'tiny' }), {
      message: /tiny\.safetensors/,
    });
  } finally {
    renameSync(`${weights}.away`, weights);
  }
  t.false(existsSync(join(parent, 'e8')));
  t.deepEqual(
    readdirSync(parent).filter((n) => n.startsWith('.')),
    [],
    'no temporary folder is left',
  );
});

test.serial('a run stopped inside phase one exports that phase, marked as not finished', async (t) => {
  const { dir, plans } = tinyPlans();
  const stoppedRun = join(dir, 'stopped');
  let steps = 0;
  const outcome = await runExperiment([plans[0]!], {
    runDir: stoppedRun,
    emit: (e) => (steps += e.type === 'step' ? 1 : 0),
    backend,
    shouldStop: () => steps === 3,
  });
  t.true(outcome.stopped);
  const manifest = await exportRun({ runDir: stoppedRun, out: join(dir, 'export') });
  t.like(manifest, { phase: 'one', phaseFinished: false, checkpoint: 'one-e0-s3.safetensors' });
  t.deepEqual(manifest.phasesTrained, ['one']);
  t.deepEqual(Object.keys(shapes(join(dir, 'export', 'weights', 'trained.safetensors'))), [
    'prompt_learner.Prompt_Tokens',
    'prompt_learner.head.weight',
  ]);
});

function checkFiles(dir: string, manifest: ExportManifest): number {
  for (const file of manifest.files) {
    const bytes = readFileSync(join(dir, file.path));
    if (bytes.length !== file.bytes || createHash('sha256').update(bytes).digest('hex') !== file.sha256)
      throw new Error(`${file.path} differs from the manifest`);
  }
  return manifest.files.length;
}

function countFiles(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (n, e) => n + (e.isDirectory() ? countFiles(join(dir, e.name)) : 1),
    0,
  );
}

test.serial("an LPT++ export names each expert's tensors by the expert and the scorer's by 'scorer.'", async (t) => {
  const { dir, plans } = tinyLptppPlans();
  const lptppRun = join(dir, 'run');
  await runExperiment(
    plans.filter((p) => p.variant?.name === 'mixture'),
    { runDir: lptppRun, emit: () => {}, backend },
  );
  const out = join(dir, 'export');
  const manifest = await exportRun({ runDir: lptppRun, out });
  t.like(manifest, { variant: 'mixture', phase: 'three', phaseFinished: true });
  t.deepEqual(shapes(join(out, 'weights', 'trained.safetensors')), {
    'a.prompt_learner.Prompt_Tokens': [2, 2, 16],
    'a.prompt_learner.head.weight': [16, 10],
    'b.prompt_learner.Prompt_Tokens': [2, 3, 16],
    'b.prompt_learner.head.weight': [16, 10],
    'scorer.hidden.weight': [20, 8],
    'scorer.hidden.bias': [8],
    'scorer.out.weight': [8, 2],
    'scorer.out.bias': [2],
  });
  t.like(tensorsOf(join(out, 'weights', 'trained.safetensors')).metadata, {
    'a.lpt.prompt_layers': '0,1',
    'a.lpt.head_kind': 'cosine',
    'b.lpt.head_kind': 'text',
    'b.lpt.head_scale': '10',
  });
});

test.serial(
  'a phase-1 LPT++ export leaves out the scorer (phase three trains it) and keeps a frozen text head',
  async (t) => {
    const { dir, plans } = tinyLptppPlans(
      tinyLptppExperiment
        .replace('scale: 10)', 'scale: 10, tune: false)')
        .replace('train a_shared, a_head, b_shared, b_head;', 'train a_shared, a_head, b_shared;'),
    );
    const frozenRun = join(dir, 'run');
    await runExperiment(
      plans.filter((p) => p.variant?.name === 'mixture'),
      { runDir: frozenRun, emit: () => {}, backend },
    );
    const out = join(dir, 'export');
    const manifest = await exportRun({ runDir: frozenRun, out, phase: 'one' });
    t.deepEqual(manifest.phasesTrained, ['one']);
    t.deepEqual(Object.keys(shapes(join(out, 'weights', 'trained.safetensors'))).sort(), [
      'a.prompt_learner.Prompt_Tokens',
      'a.prompt_learner.head.weight',
      'b.prompt_learner.Prompt_Tokens',
      'b.prompt_learner.head.weight',
    ]);
  },
);
