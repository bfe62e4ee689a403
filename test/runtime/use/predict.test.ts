/**
 * `lpt predict` end to end on the tiny experiment: the run's own test images (written as PNG
 * files by `lpt export`) predicted from the command line give the run's test accuracy class for
 * class, and each bad request gets one clear line.
 */
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../../cli/main.ts';
import type { RunResults } from '../../../plan/results.ts';
import { exportRun } from '../../../runtime/export/export_run.ts';
import { recordingIO } from '../../helpers/cli_io.ts';
import { finishedTinyRun } from '../../helpers/finished_tiny_run.ts';

const backend = process.env.LPT_TEST_BACKEND ?? 'wasm';
let dir = '';
let runDir = '';
let exported = '';
let results: RunResults;

test.before(async () => {
  ({ dir, runDir } = await finishedTinyRun());
  results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;
  exported = join(dir, 'export');
  await exportRun({ runDir, out: exported, variant: 'tiny' });
});

async function lptPredict(args: string[]) {
  const io = recordingIO(dir);
  const code = await main(['predict', ...args, '--backend', backend], io);
  return { code, out: io.out.join(''), err: io.err.join('') };
}

test.serial('predicting the run’s test images gives its test accuracy, class for class', async (t) => {
  const lines = readFileSync(join(exported, 'splits', 'test.txt'), 'utf8')
    .trim()
    .split('\n');
  const images = lines.map((l) => join(exported, l.split(' ')[0]!));
  const labels = lines.map((l) => Number(l.split(' ')[1]));
  const before = tf.memory().numTensors;
  const { code, err } = await lptPredict([runDir, ...images, '--variant', 'tiny', '--top', '3', '--output', 'p.csv']);
  t.is(code, 0, err);
  t.is(tf.memory().numTensors, before, 'no tensor is left behind');
  const [header, ...rows] = readFileSync(join(dir, 'p.csv'), 'utf8').trim().split('\n');
  t.is(header, 'file,rank,class,name,probability');
  t.is(rows.length, 3 * images.length);
  const top1 = rows.filter((r) => r.split(',')[1] === '1');
  t.deepEqual(
    top1.map((r) => r.split(',')[0]),
    images,
  );
  const correct = new Array<number>(10).fill(0);
  top1.forEach((r, i) => {
    if (Number(r.split(',')[2]) === labels[i]) correct[labels[i]!]! += 1;
  });
  const tiny = results.variants.find((v) => v.variant === 'tiny')!;
  t.deepEqual(
    correct,
    tiny.perClass.map((c) => c.correct),
  );
  // Probabilities of an image's ranks descend and stay within (0, 1].
  const first = rows.slice(0, 3).map((r) => Number(r.split(',')[4]));
  t.true(first[0]! >= first[1]! && first[1]! >= first[2]! && first[0]! <= 1 && first[2]! > 0);
});

test.serial('a folder is searched for images', async (t) => {
  const { code, err } = await lptPredict([
    runDir,
    join(exported, 'images', 'test'),
    '--variant',
    'VPT',
    '--output',
    'f.csv',
  ]);
  t.is(code, 0, err);
  const rows = readFileSync(join(dir, 'f.csv'), 'utf8').trim().split('\n');
  t.is(
    rows.length,
    1 +
      readFileSync(join(exported, 'splits', 'test.txt'), 'utf8')
        .trim()
        .split('\n').length,
  );
});

test.serial('bad requests exit 1 with one line naming the problem', async (t) => {
  mkdirSync(join(dir, 'bad'), { recursive: true });
  writeFileSync(join(dir, 'bad', 'broken.png'), 'not a png');
  const image = join(exported, readFileSync(join(exported, 'splits', 'test.txt'), 'utf8').split(' ')[0]!);
  const cases: [string[], RegExp][] = [
    [[runDir, join(dir, 'bad', 'broken.png'), '--variant', 'tiny'], /broken\.png/],
    [[runDir, join(dir, 'nope.png'), '--variant', 'tiny'], /nope\.png: no such file or folder/],
    [[runDir, image], /pick one with --variant/],
    [[runDir, image, '--variant', 'tiny', '--expert', 'vl'], /--expert vl: the plan has no such expert/],
    [[runDir, image, '--variant', 'nope'], /the run holds no variant 'nope'/],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await lptPredict([...args, '--output', 'x.csv']);
    t.is(code, 1, `${args.join(' ')}: ${err}`);
    t.regex(err, message);
    t.is(err.trim().split('\n').length, 1, err);
    t.notRegex(err, /\n\s+at /);
  }
});

test.serial('a run without a finished last phase is refused', async (t) => {
  const { rmSync, readdirSync } = await import('node:fs');
  const copy = join(dir, 'unfinished');
  const { cpSync } = await import('node:fs');
  cpSync(runDir, copy, { recursive: true });
  const checkpoints = join(copy, 'checkpoints');
  for (const variant of readdirSync(checkpoints)) rmSync(join(checkpoints, variant), { recursive: true });
  const image = join(exported, readFileSync(join(exported, 'splits', 'test.txt'), 'utf8').split(' ')[0]!);
  const { code, err } = await lptPredict([copy, image, '--variant', 'tiny', '--output', 'x.csv']);
  t.is(code, 1, err);
  t.regex(err, /variant 'tiny' has not finished phase 'one' \(it has no checkpoint\)/);
});
