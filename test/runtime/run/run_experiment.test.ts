import { DEFAULT_RUNTIME_SETTINGS } from '../../../runtime/settings.ts';
import { existsSync, readdirSync, readFileSync, truncateSync } from 'node:fs';
import { basename, join } from 'node:path';
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import type { RunEvent } from '../../../runtime/events.ts';
import { readSafetensors } from '../../../runtime/weights/safetensors.ts';
import { resumeExperiment, runExperiment } from '../../../runtime/run/run_experiment.ts';
import type { RunResults } from '../../../plan/results.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyExperiment, tinyPlans } from '../../helpers/tiny_run.ts';

const backend = { name: 'test', reason: 'test' };

test.before(async () => {
  await useTestBackend();
});

function collect() {
  const events: RunEvent[] = [];
  return { events, emit: (e: RunEvent) => events.push(e) };
}

const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;

/** The final trainable tensors of a variant, from its last checkpoint. */
function finalTensors(runDir: string, slug: string) {
  const dir = join(runDir, 'checkpoints', slug);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { file: string };
  return readSafetensors(join(dir, manifest.file));
}

test.serial('a run trains both variants, writes the run directory, and leaks no tensors', async (t) => {
  const { dir, plans } = tinyPlans();
  const runDir = join(dir, 'run');
  const { events, emit } = collect();
  const before = tf.memory().numTensors;
  const outcome = await runExperiment(plans, { runDir, emit, backend });
  t.is(tf.memory().numTensors, before);
  t.false(outcome.stopped);
  const results = readResults(runDir);
  t.deepEqual(
    results.variants.map((v) => v.variant),
    ['tiny', 'VPT'],
  );
  for (const v of results.variants) {
    t.true(v.accuracy.overall! >= 0 && v.accuracy.overall! <= 100);
    t.deepEqual(v.trainCounts.length, 10);
    const tested = v.perClass.reduce((n, c) => n + c.testImages, 0);
    t.true(tested > 0 && v.perClass.reduce((n, c) => n + c.correct, 0) <= tested);
    t.is(
      v.trainCounts.reduce((a, b) => a + b, 0),
      v.perClass.reduce((n, c) => n + c.trainImages, 0),
    );
  }
  t.true(existsSync(join(runDir, 'per_class.csv')));
  t.true(existsSync(join(runDir, 'plans', 'tiny.json')));
  // Step events carry every loss term; the tensor count does not grow from step to step.
  const steps = events.filter((e) => e.type === 'step');
  t.true(steps.length > 10);
  const twoSteps = steps.filter((e) => e.phase === 'two');
  t.deepEqual(Object.keys(twoSteps[0]!.losses).sort(), ['agcl:cb', 'agcl:ib', 'matching:cb', 'matching:ib', 'total']);
  t.is(twoSteps.at(-1)!.tensors, twoSteps[1]!.tensors);
  // The VPT baseline has no pool, so phase 'one' alone trains.
  t.deepEqual(
    events
      .filter((e) => e.type === 'phase_start' && e.variant === 'VPT')
      .map((e) => e.type === 'phase_start' && e.phase),
    ['one'],
  );
});

test.serial('stopping mid-phase and resuming gives the same result as an uninterrupted run', async (t) => {
  const { dir, plans } = tinyPlans();
  const straight = join(dir, 'straight');
  await runExperiment(plans, { runDir: straight, emit: () => {}, backend });

  const resumed = join(dir, 'resumed');
  let steps = 0;
  const counting = (e: RunEvent) => {
    if (e.type === 'step') steps += 1;
  };
  const first = await runExperiment(plans, { runDir: resumed, emit: counting, backend, shouldStop: () => steps >= 13 });
  t.true(first.stopped);
  t.false(existsSync(join(resumed, 'results.json')));
  const { events, emit } = collect();
  const second = await resumeExperiment({ runDir: resumed, emit, backend });
  t.false(second.stopped);
  t.truthy(events.find((e) => e.type === 'run_start' && e.resumedFrom !== undefined));

  const a = readResults(straight);
  const b = readResults(resumed);
  t.deepEqual(
    b.variants.map((v) => [v.variant, v.accuracy, v.perClass]),
    a.variants.map((v) => [v.variant, v.accuracy, v.perClass]),
  );
  const ta = finalTensors(straight, 'tiny');
  const tb = finalTensors(resumed, 'tiny');
  t.deepEqual([...tb.keys()], [...ta.keys()]);
  for (const [name, tensor] of ta) t.deepEqual(tb.get(name)!.data, tensor.data, name);
});

test.serial(
  '--resume past a truncated newest checkpoint starts from the one before, says so, and ends with the uninterrupted result',
  async (t) => {
    const { dir, plans } = tinyPlans();
    const lpt = plans.filter((p) => p.variant === null);
    const straight = join(dir, 'straight');
    await runExperiment(lpt, { runDir: straight, emit: () => {}, backend, keepCheckpoints: 1 });
    // Retention 1: only each phase's end remains.
    t.deepEqual(readdirSync(join(straight, 'checkpoints', 'tiny')).sort(), [
      'manifest.json',
      'one-e2-s0.safetensors',
      'two-e1-s0.safetensors',
    ]);

    const resumed = join(dir, 'resumed');
    let steps = 0;
    const first = await runExperiment(lpt, {
      runDir: resumed,
      emit: (e) => void (e.type === 'step' && (steps += 1)),
      backend,
      shouldStop: () => steps >= 13,
    });
    t.true(first.stopped);
    const checkpoints = join(resumed, 'checkpoints', 'tiny');
    const manifest = JSON.parse(readFileSync(join(checkpoints, 'manifest.json'), 'utf8')) as {
      checkpoints: { file: string }[];
    };
    const [newest, previous] = manifest.checkpoints.map((c) => join(checkpoints, c.file));
    truncateSync(newest!, 100);

    const { events, emit } = collect();
    t.false((await resumeExperiment({ runDir: resumed, emit, backend })).stopped);
    const warning = events.find((e) => e.type === 'warning');
    t.true(
      warning?.type === 'warning' && warning.message.includes(newest!) && warning.message.includes(previous!),
      JSON.stringify(warning),
    );
    t.truthy(events.find((e) => e.type === 'run_start' && e.resumedFrom === basename(previous!)));
    t.deepEqual(
      readResults(resumed).variants.map((v) => [v.accuracy, v.perClass]),
      readResults(straight).variants.map((v) => [v.accuracy, v.perClass]),
    );
  },
);

test.serial("phase 2's query cache changes nothing but the work done", async (t) => {
  const { dir, plans } = tinyPlans();
  const lpt = plans.filter((p) => p.variant === null);
  await runExperiment(lpt, { runDir: join(dir, 'cached'), emit: () => {}, backend });
  await runExperiment(lpt, {
    runDir: join(dir, 'uncached'),
    emit: () => {},
    backend,
    settings: { ...DEFAULT_RUNTIME_SETTINGS, queryCache: false },
  });
  const cached = readResults(join(dir, 'cached')).variants[0]!;
  const uncached = readResults(join(dir, 'uncached')).variants[0]!;
  t.deepEqual(cached.perClass, uncached.perClass);
  const a = finalTensors(join(dir, 'cached'), 'tiny');
  const b = finalTensors(join(dir, 'uncached'), 'tiny');
  for (const [name, tensor] of a) {
    const other = b.get(name)!.data as Float32Array;
    const diff = (tensor.data as Float32Array).reduce((m, v, i) => Math.max(m, Math.abs(v - other[i]!)), 0);
    t.true(diff < 1e-5, `${name}: max abs diff ${diff}`);
  }
});

test.serial(
  '`every phase` evaluates after each phase; `every 1` after each epoch too; the last one is the result',
  async (t) => {
    for (const [every, expected] of [
      ['phase', ['one', 'two']],
      ['1', ['one', 'one', 'two']],
    ] as const) {
      const source = tinyExperiment.replace(
        'shots(many: >15, few: <=5) }',
        `shots(many: >15, few: <=5); every ${every} }`,
      );
      const { dir, plans } = tinyPlans(source);
      const { events, emit } = collect();
      await runExperiment(
        plans.filter((p) => p.variant === null),
        { runDir: join(dir, 'run'), emit, backend },
      );
      const evaluations = events.filter((e) => e.type === 'evaluation');
      t.deepEqual(
        evaluations.map((e) => e.type === 'evaluation' && e.phase),
        expected,
        `every ${every}`,
      );
      const last = evaluations.at(-1)!;
      t.deepEqual(
        readResults(join(dir, 'run')).variants[0]!.accuracy.overall,
        last.type === 'evaluation' ? last.accuracy.overall : NaN,
      );
    }
  },
);
