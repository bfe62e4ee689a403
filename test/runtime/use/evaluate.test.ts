/**
 * `lpt evaluate` end to end on the tiny experiment: a new split holding the run's own test images
 * scores exactly the run's test result, is added to results.json and shown by `lpt report --split`,
 * and a bad split, a taken name, a class count that does not match and an unfinished run get clear errors.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { cpSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../cli/main.ts';
import type { RunResults } from '../../../plan/results.ts';
import { recordingIO } from '../../helpers/cli_io.ts';
import { writeImageFolder } from '../../helpers/image_folder_tiny.ts';
import { finishedTinyRun } from '../../helpers/finished_tiny_run.ts';

const backend = process.env.LPT_TEST_BACKEND ?? 'wasm';
const testPipeline = 'mnist(split: test) | longtail(ratio: 2, max: 12) | normalize(mean: 0.5, std: 0.5)';
let dir = '';
let runDir = '';

test.before(async () => {
  ({ dir, runDir } = await finishedTinyRun());
  await writeImageFolder(dir);
});

async function lpt(command: string, args: string[]) {
  const io = recordingIO(dir);
  const code = await main([command, ...args, ...(command === 'evaluate' ? ['--backend', backend] : [])], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const resultsOf = (run: string) => JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as RunResults;

test.serial('a split of the run’s own test images scores its test result and lpt report shows it', async (t) => {
  const before = tf.memory().numTensors;
  const { code, out, err } = await lpt('evaluate', [runDir, '--split', `again=${testPipeline}`, '--variant', 'tiny']);
  t.is(code, 0, err);
  t.is(tf.memory().numTensors, before, 'no tensor is left behind');
  t.regex(out, /^tiny on again: overall \d+\.\d, many/);
  const results = resultsOf(runDir);
  const test = results.variants.find((v) => v.variant === 'tiny' && v.split === 'test')!;
  const again = results.variants.find((v) => v.variant === 'tiny' && v.split === 'again')!;
  t.deepEqual(again.perClass, test.perClass);
  t.deepEqual(again.accuracy, test.accuracy);
  t.is(results.variants.length, 3, 'tiny on test and again, VPT on test');
  t.regex(readFileSync(join(runDir, 'per_class.csv'), 'utf8'), /"tiny",9,/);

  const report = await lpt('report', [runDir, '--split', 'again']);
  t.is(report.code, 0, report.err);
  t.regex(report.out, /tiny/);
  t.notRegex(report.out, /VPT/, 'only the evaluated variant has the split');
  t.true(report.out.includes(test.accuracy.overall.toFixed(1)));

  // Evaluating the same split again replaces its entry.
  t.is((await lpt('evaluate', [runDir, '--split', `again=${testPipeline}`, '--variant', 'tiny'])).code, 0);
  t.is(resultsOf(runDir).variants.length, 3);
});

test.serial('a split the checker refuses is printed with its place on the command line', async (t) => {
  const { code, err } = await lpt('evaluate', [runDir, '--split', 'bad=mnist(split: tset)', '--variant', 'tiny']);
  t.is(code, 1, err);
  t.regex(err, /<command line>:1:\d+: error/);
  t.regex(err, /tset/);
  t.notRegex(err, /\n\s+at /);
});

test.serial('a taken name, a class count that does not match and bad usage are refused', async (t) => {
  const taken = await lpt('evaluate', [runDir, '--split', `test=${testPipeline}`, '--variant', 'tiny']);
  t.is(taken.code, 1, taken.err);
  t.regex(taken.err, /already has a split 'test'/);
  const folder = await lpt('evaluate', [
    runDir,
    '--split',
    `folder=image_folder(root: "${join(dir, 'imgs')}") | resize(size: 28, square: true) | normalize(mean: 0.5, std: 0.5)`,
    '--variant',
    'tiny',
  ]);
  t.is(folder.code, 1, folder.err);
  t.regex(folder.err, /3 classes.*10|10.*3 classes/);
  t.notRegex(folder.err, /\n\s+at /);
  const usage = await lpt('evaluate', [runDir, '--split', 'no pipeline']);
  t.is(usage.code, 2);
  t.regex(usage.err, /--split must be NAME=PIPELINE/);
});

test.serial('a run without a finished last phase is refused', async (t) => {
  const copy = join(dir, 'unfinished');
  cpSync(runDir, copy, { recursive: true });
  const checkpoints = join(copy, 'checkpoints');
  for (const variant of readdirSync(checkpoints)) rmSync(join(checkpoints, variant), { recursive: true });
  const { code, err } = await lpt('evaluate', [copy, '--split', `again=${testPipeline}`, '--variant', 'tiny']);
  t.is(code, 1, err);
  t.regex(err, /variant 'tiny' has not finished phase 'one'/);
  // The split is checked before the trained state is read: its own error comes first.
  const bad = await lpt('evaluate', [copy, '--split', 'bad=mnist(split: tset)', '--variant', 'tiny']);
  t.is(bad.code, 1, bad.err);
  t.regex(bad.err, /<command line>:1:\d+: error/);
  t.notRegex(bad.err, /has not finished/);
});
