/** A plan without phases (a zero-shot row): the model is evaluated as initialised, nothing trains. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import type { RunEvent } from '../../../runtime/events.ts';
import { runExperiment } from '../../../runtime/run/run_experiment.ts';
import type { RunResults } from '../../../plan/results.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyExperiment, tinyPlans } from '../../helpers/tiny_run.ts';

test.before(async () => {
  await useTestBackend();
});

test('a variant that drops every phase is evaluated as initialised', async (t) => {
  const source = tinyExperiment.replace(
    'variant "VPT" {',
    'variant "as initialised" { drop one, two, group }\n  variant "VPT" {',
  );
  const { dir, plans } = tinyPlans(source);
  const zeroShot = plans.find((p) => p.variant?.name === 'as initialised')!;
  t.deepEqual(zeroShot.phases, []);
  t.is(zeroShot.budget.trainableParams, 0);
  const events: RunEvent[] = [];
  const before = tf.memory().numTensors;
  const runDir = join(dir, 'run');
  await runExperiment([zeroShot], { runDir, emit: (e) => events.push(e), backend: { name: 'test', reason: 'test' } });
  t.is(tf.memory().numTensors, before);
  t.false(events.some((e) => e.type === 'phase_start' || e.type === 'step'));
  const evaluations = events.filter((e) => e.type === 'evaluation');
  t.is(evaluations.length, 1);
  t.like(evaluations[0], { variant: 'as initialised', phase: '', split: 'test' });
  const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults;
  t.like(results.variants[0], { variant: 'as initialised', trainableParams: 0 });
  const tested = results.variants[0]!.perClass.reduce((n, c) => n + c.testImages, 0);
  t.true(tested > 0);
});
