/**
 * LPT++ end to end on a tiny experiment: two experts on one random backbone (one with a text head
 * initialised from precomputed class embeddings), phase 1 for both, phase 3 for the MoE scorer;
 * variants evaluating each expert, the untrained (equal-weight) scorer and the trained mixture.
 * Resume mid-phase-3 equals an uninterrupted run; the cached and recomputed scorer phases agree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../../../plan/plan.ts';
import type { RunEvent } from '../../../runtime/events.ts';
import type { RunResults } from '../../../plan/results.ts';
import { resumeExperiment, runExperiment } from '../../../runtime/run/run_experiment.ts';
import { readSafetensors } from '../../../runtime/weights/safetensors.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyPlans } from '../../helpers/tiny_run.ts';
import { tinyLptppExperiment, tinyLptppPlans } from '../../helpers/tiny_lptpp.ts';

const backend = { name: 'test', reason: 'test' };

/** Two experts on one tiny backbone (a cosine head, a text head), a scorer; test/helpers/tiny_lptpp.ts. */
const source = tinyLptppExperiment;

function duo(input: 'confidence' | 'both' = 'confidence'): { dir: string; plans: readonly Plan[] } {
  return tinyLptppPlans(source.replace('input: confidence', `input: ${input}`));
}

const readResults = (dir: string) => JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as RunResults;

function finalTensors(runDir: string, slug: string) {
  const dir = join(runDir, 'checkpoints', slug);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { file: string };
  return readSafetensors(join(dir, manifest.file));
}

test.before(async () => {
  await useTestBackend();
});

test.serial(
  'two experts and a scorer: every variant runs, the scorer phase trains only the scorer, no tensor leaks',
  async (t) => {
    const { dir, plans } = duo();
    t.like(plans.find((p) => p.variant?.name === 'mixture')!.phases[1]!.frozenExperts, { outputs: 'cache' });
    const events: RunEvent[] = [];
    const before = tf.memory().numTensors;
    const outcome = await runExperiment(plans, { runDir: join(dir, 'run'), emit: (e) => events.push(e), backend });
    t.false(outcome.stopped);
    t.is(tf.memory().numTensors, before);
    const results = readResults(join(dir, 'run'));
    t.deepEqual(
      results.variants.map((v) => v.variant),
      ['duo', 'a', 'average', 'mixture'],
    );
    const start = events.find((e) => e.type === 'run_start' && e.variant === 'mixture');
    t.like(start, { experts: ['a', 'b'], scorer: 'mix', model: 'mix' });
    // The variants take phase one from the experiment's own plan, which trained it identically (runtime/store/phase_memo.ts).
    t.like(start, { reused: { phases: ['one', 'three'], from: 'duo' } });
    const phaseOne = events.find((e) => e.type === 'step' && e.variant === 'duo' && e.phase === 'one');
    t.deepEqual(Object.keys(phaseOne?.type === 'step' ? phaseOne.losses : {}).sort(), [
      'a:agcl:cb',
      'a:agcl:ib',
      'b:agcl:cb',
      'b:agcl:ib',
      'total',
    ]);
    // The experts of 'average' and 'mixture' are the same (same seed and batches); the scorer moves.
    const average = finalTensors(join(dir, 'run'), 'duo_experts_average');
    const mixture = finalTensors(join(dir, 'run'), 'duo_experts_mixture');
    for (const [name, tensor] of average) {
      if (name.startsWith('module:scorer/')) continue;
      t.deepEqual(mixture.get(name)!.data, tensor.data, name);
    }
    t.notDeepEqual(mixture.get('module:scorer/out.weight')!.data, average.get('module:scorer/out.weight')!.data);
    t.true(
      (average.get('module:scorer/out.weight')!.data as Float32Array).every((v) => v === 0),
      'an untrained scorer is the equal average',
    );
  },
);

test.serial('stopping mid-phase-3 and resuming gives the same result as an uninterrupted run', async (t) => {
  const { dir, plans } = duo();
  const mix = plans.filter((p) => p.variant?.name === 'mixture');
  await runExperiment(mix, { runDir: join(dir, 'straight'), emit: () => {}, backend });
  let scorerSteps = 0;
  const counting = (e: RunEvent) => {
    if (e.type === 'step' && e.phase === 'three') scorerSteps += 1;
  };
  const first = await runExperiment(mix, {
    runDir: join(dir, 'resumed'),
    emit: counting,
    backend,
    shouldStop: () => scorerSteps === 4,
  });
  t.true(first.stopped);
  const second = await resumeExperiment({ runDir: join(dir, 'resumed'), emit: () => {}, backend });
  t.false(second.stopped);
  const a = readResults(join(dir, 'straight')).variants[0]!;
  const b = readResults(join(dir, 'resumed')).variants[0]!;
  t.deepEqual([b.accuracy, b.perClass], [a.accuracy, a.perClass]);
  const ta = finalTensors(join(dir, 'straight'), 'duo_experts_mixture');
  const tb = finalTensors(join(dir, 'resumed'), 'duo_experts_mixture');
  for (const [name, tensor] of ta) t.deepEqual(tb.get(name)!.data, tensor.data, name);
});

for (const input of ['confidence', 'both'] as const) {
  test.serial(
    `a scorer on input '${input}' trained on cached expert outputs equals the one trained on recomputed outputs`,
    async (t) => {
      const { dir, plans } = duo(input);
      const mix = plans.find((p) => p.variant?.name === 'mixture')!;
      const recompute: Plan = {
        ...mix,
        phases: mix.phases.map((p) =>
          p.frozenExperts === null ? p : { ...p, frozenExperts: { outputs: 'recompute', reason: 'test' } },
        ),
      };
      await runExperiment([mix], { runDir: join(dir, 'cached'), emit: () => {}, backend });
      await runExperiment([recompute], { runDir: join(dir, 'recomputed'), emit: () => {}, backend });
      const a = finalTensors(join(dir, 'cached'), 'duo_experts_mixture');
      // 'both' reads every expert's 10 confidences and 16 feature dims: W1 is [2 * (10 + 16), 8].
      t.is(a.get('module:scorer/hidden.weight')!.data.length, (input === 'both' ? 2 * (10 + 16) : 2 * 10) * 8);
      const b = finalTensors(join(dir, 'recomputed'), 'duo_experts_mixture');
      for (const [name, tensor] of a) {
        if (!name.startsWith('module:')) continue;
        const other = b.get(name)!.data as Float32Array;
        const diff = (tensor.data as Float32Array).reduce((m, v, i) => Math.max(m, Math.abs(v - other[i]!)), 0);
        t.true(diff < 1e-5, `${name}: max abs diff ${diff}`);
      }
      t.deepEqual(
        readResults(join(dir, 'recomputed')).variants[0]!.perClass,
        readResults(join(dir, 'cached')).variants[0]!.perClass,
      );
    },
  );
}

test.serial(
  'the scorer phase trains on the split it names (images held out of train), and resumes there',
  async (t) => {
    const made = tinyPlans(
      source
        .replace('data {', 'data {\n    fit = holdout(per_class: 3) | normalize(mean: 0.5, std: 0.5)')
        .replace('phase three after one {', 'phase three after one { split fit;'),
    );
    writeFileSync(
      join(made.dir, 'classes.json'),
      JSON.stringify({
        embeddings: Array.from({ length: 10 }, (_, c) => Array.from({ length: 16 }, (_, i) => Math.sin(c * 16 + i))),
      }),
    );
    const mix = made.plans.filter((p) => p.variant?.name === 'mixture');
    t.is(mix[0]!.phases[1]!.split, 'fit');
    const events: RunEvent[] = [];
    await runExperiment(mix, { runDir: join(made.dir, 'straight'), emit: (e) => events.push(e), backend });
    const three = events.find((e) => e.type === 'phase_start' && e.phase === 'three');
    t.is(
      three?.type === 'phase_start' ? three.stepsPerEpoch : -1,
      Math.ceil(30 / 8),
      '10 classes x 3 held-out images, batch 8',
    );
    let scorerSteps = 0;
    const first = await runExperiment(mix, {
      runDir: join(made.dir, 'resumed'),
      emit: (e) => (scorerSteps += e.type === 'step' && e.phase === 'three' ? 1 : 0),
      backend,
      shouldStop: () => scorerSteps === 5,
    });
    t.true(first.stopped);
    await resumeExperiment({ runDir: join(made.dir, 'resumed'), emit: () => {}, backend });
    t.deepEqual(
      readResults(join(made.dir, 'resumed')).variants[0]!.perClass,
      readResults(join(made.dir, 'straight')).variants[0]!.perClass,
    );
  },
);

test.serial(
  'calibrated experts: temperatures fitted on a held-out split feed the scorer and the mixture; resume is identical; no tensor leaks',
  async (t) => {
    const withFit = (calibrate: string) => {
      const made = tinyPlans(
        source
          .replace('data {', 'data {\n    fit = holdout(per_class: 3) | normalize(mean: 0.5, std: 0.5)')
          .replace('gate: softmax)', `gate: softmax${calibrate})`),
      );
      writeFileSync(
        join(made.dir, 'classes.json'),
        JSON.stringify({
          embeddings: Array.from({ length: 10 }, (_, c) => Array.from({ length: 16 }, (_, i) => Math.sin(c * 16 + i))),
        }),
      );
      return made;
    };
    const made = withFit(', calibrate: temperature, calibrate_on: fit');
    const plans = made.plans.filter((p) => p.variant?.name === 'mixture' || p.variant?.name === 'average');
    t.deepEqual(plans[0]!.modules.scorer!.calibration, { method: 'temperature', split: 'fit' });
    const events: RunEvent[] = [];
    const before = tf.memory().numTensors;
    await runExperiment(plans, { runDir: join(made.dir, 'straight'), emit: (e) => events.push(e), backend });
    t.is(tf.memory().numTensors, before);
    const temperatures = events.flatMap((e) =>
      e.type === 'evaluation' ? [{ variant: e.variant, temperatures: e.temperatures }] : [],
    );
    t.is(temperatures.length, 2);
    for (const { temperatures: temps } of temperatures) {
      t.deepEqual(Object.keys(temps ?? {}), ['a', 'b']);
      for (const v of Object.values(temps!)) t.true(Number.isFinite(v) && v > 0 && v !== 1, `temperature ${v}`);
    }
    // Same experts in both variants (phase one is shared), so the same temperatures.
    t.deepEqual(temperatures[0]!.temperatures, temperatures[1]!.temperatures);

    const mix = plans.filter((p) => p.variant?.name === 'mixture');
    let scorerSteps = 0;
    const first = await runExperiment(mix, {
      runDir: join(made.dir, 'resumed'),
      emit: (e) => (scorerSteps += e.type === 'step' && e.phase === 'three' ? 1 : 0),
      backend,
      shouldStop: () => scorerSteps === 4,
    });
    t.true(first.stopped);
    await resumeExperiment({ runDir: join(made.dir, 'resumed'), emit: () => {}, backend });
    const straight = readResults(join(made.dir, 'straight')).variants.find((v) => v.variant === 'mixture')!;
    const resumed = readResults(join(made.dir, 'resumed')).variants[0]!;
    t.deepEqual([resumed.accuracy, resumed.perClass], [straight.accuracy, straight.perClass]);
    const ta = finalTensors(join(made.dir, 'straight'), 'duo_experts_mixture');
    const tb = finalTensors(join(made.dir, 'resumed'), 'duo_experts_mixture');
    for (const [name, tensor] of ta) t.deepEqual(tb.get(name)!.data, tensor.data, name);

    // Without calibration the scorer trains on other inputs: its weights differ from the calibrated one's.
    const plain = withFit('').plans.filter((p) => p.variant?.name === 'mixture');
    const plainDir = join(made.dir, 'plain');
    const plainEvents: RunEvent[] = [];
    await runExperiment(plain, { runDir: plainDir, emit: (e) => plainEvents.push(e), backend });
    t.false(
      plainEvents.some((e) => e.type === 'evaluation' && e.temperatures !== undefined),
      'no calibration: no temperatures',
    );
    t.notDeepEqual(
      finalTensors(plainDir, 'duo_experts_mixture').get('module:scorer/out.weight')!.data,
      ta.get('module:scorer/out.weight')!.data,
    );
  },
);
