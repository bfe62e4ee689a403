/**
 * `lpt predict` and `lpt evaluate` on a finished tiny LPT++ run: the mixture's predictions of the
 * run's own test images give the mixture row's per-class correct counts, `--expert` gives that
 * expert's (the variant evaluating expert a alone trains phase one exactly as the mixture's), and
 * evaluating a split of the same images scores the mixture row again.
 */
import test, { type ExecutionContext } from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../cli/main.ts';
import type { RunResults } from '../../../plan/results.ts';
import { exportRun } from '../../../runtime/export/export_run.ts';
import { recordingIO } from '../../helpers/cli_io.ts';
import { finishedTinyRun } from '../../helpers/finished_tiny_run.ts';
import { tinyLptppExperiment, tinyLptppPlans } from '../../helpers/tiny_lptpp.ts';

const backend = process.env.LPT_TEST_BACKEND ?? 'wasm';
const testPipeline = 'mnist(split: test) | longtail(ratio: 2, max: 12) | normalize(mean: 0.5, std: 0.5)';
let dir = '';
let runDir = '';
let images: string[] = [];
let labels: number[] = [];

/**
 * The tiny LPT++ experiment with calibrated experts (so predictions must apply the temperatures),
 * a row per expert, and phase one long enough that the rows of a, b, average and mixture differ.
 */
const calibrated = tinyLptppExperiment
  .replace('data {', 'data {\n    fit = holdout(per_class: 3) | normalize(mean: 0.5, std: 0.5)')
  .replace('gate: softmax)', 'gate: softmax, calibrate: temperature, calibrate_on: fit)')
  .replace('epochs 1;', 'epochs 4;')
  .replace('variant "average"', 'variant "b" { drop three; evaluate test { model b } }\n  variant "average"');
const made = () => {
  const { dir, plans } = tinyLptppPlans(calibrated);
  return { dir, plans: plans.filter((p) => p.variant?.name !== 'duo') };
};

test.before(async () => {
  ({ dir, runDir } = await finishedTinyRun(made));
  const exported = join(dir, 'export');
  await exportRun({ runDir, out: exported, variant: 'mixture' });
  const lines = readFileSync(join(exported, 'splits', 'test.txt'), 'utf8')
    .trim()
    .split('\n');
  images = lines.map((l) => join(exported, l.split(' ')[0]!));
  labels = lines.map((l) => Number(l.split(' ')[1]));
});

async function lpt(command: string, args: string[], backendArgs = ['--backend', backend]) {
  const io = recordingIO(dir);
  const code = await main([command, ...args, ...backendArgs], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const resultsOf = () => JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;
const correctOf = (variant: string, split = 'test') =>
  resultsOf()
    .variants.find((v) => v.variant === variant && v.split === split)!
    .perClass.map((c) => c.correct);

/** Per-class correct counts of the top-1 predictions of the test images by `variant` (and `--expert`). */
async function predictedCorrect(t: ExecutionContext, variant: string, expert: string[] = []) {
  const output = `${variant}_${expert.join('_')}.csv`;
  const before = tf.memory().numTensors;
  const { code, err } = await lpt('predict', [runDir, ...images, '--variant', variant, ...expert, '--output', output]);
  t.is(code, 0, err);
  t.is(tf.memory().numTensors, before, 'no tensor is left behind');
  const rows = readFileSync(join(dir, output), 'utf8').trim().split('\n').slice(1);
  t.is(rows.length, images.length);
  const correct = new Array<number>(10).fill(0);
  rows.forEach((r, i) => {
    if (Number(r.split(',')[2]) === labels[i]) correct[labels[i]!]! += 1;
  });
  return correct;
}

test.serial('the rows differ, so matching one is no accident', (t) => {
  const rows = ['a', 'b', 'average', 'mixture'].map((v) => correctOf(v).join());
  t.is(new Set(rows).size, rows.length, rows.join(' | '));
});

test.serial('the mixture predicts the mixture row, class for class', async (t) => {
  t.deepEqual(await predictedCorrect(t, 'mixture'), correctOf('mixture'));
});

test.serial('the untrained scorer predicts the average row', async (t) => {
  t.deepEqual(await predictedCorrect(t, 'average'), correctOf('average'));
});

test.serial('--expert predicts the row of the variant evaluating that expert', async (t) => {
  t.deepEqual(await predictedCorrect(t, 'mixture', ['--expert', 'a']), correctOf('a'));
  t.deepEqual(await predictedCorrect(t, 'mixture', ['--expert', 'b']), correctOf('b'));
  t.deepEqual(await predictedCorrect(t, 'average', ['--expert', 'a']), correctOf('a'));
});

test.serial('--expert names the scorer or an expert; anything else is refused', async (t) => {
  t.deepEqual(await predictedCorrect(t, 'mixture', ['--expert', 'mix']), correctOf('mixture'));
  const { code, err } = await lpt('predict', [
    runDir,
    images[0]!,
    '--variant',
    'mixture',
    '--expert',
    'c',
    '--output',
    'x.csv',
  ]);
  t.is(code, 1, err);
  t.regex(err, /--expert c: the plan has no such expert \(its experts: a, b; the mixture: mix\)/);
});

test.serial('evaluating a split of the run’s own test images scores the mixture row', async (t) => {
  const before = tf.memory().numTensors;
  const { code, err } = await lpt('evaluate', [runDir, '--split', `again=${testPipeline}`, '--variant', 'mixture']);
  t.is(code, 0, err);
  t.is(tf.memory().numTensors, before, 'no tensor is left behind');
  t.deepEqual(correctOf('mixture', 'again'), correctOf('mixture'));
});

test.serial(
  'without --backend both use the backend the run recorded: Dawn is never probed, nothing is warned',
  async (t) => {
    const probed = () => 'gpu' in ((globalThis as { navigator?: object }).navigator ?? {});
    t.false(probed());
    const predicted = await lpt('predict', [runDir, images[0]!, '--variant', 'mixture', '--output', 'd.csv'], []);
    t.is(predicted.code, 0, predicted.err);
    t.is(predicted.err, '');
    const evaluated = await lpt('evaluate', [runDir, '--split', `other=${testPipeline}`, '--variant', 'a'], []);
    t.is(evaluated.code, 0, evaluated.err);
    t.is(evaluated.err, '');
    t.deepEqual(correctOf('a', 'other'), correctOf('a'));
    t.false(probed(), 'auto would have probed WebGPU (and Dawn printed its warnings)');
    t.is(tf.getBackend(), backend === 'node' ? 'tensorflow' : backend);
  },
);
