/**
 * Gradient accumulation: a step split into micro-batches makes the update the whole batch makes,
 * for every loss (their means are over the batch: each micro-batch's loss is weighted by its
 * share of the rows), on every stream of every sampler (class-aware, instance, square-root; a
 * dual phase reads two), with head dropout and GCL noise drawn for the whole batch and read by
 * rows, in a phase-1 step (shared prompt and head) and a phase-2 step (pool, keys and head, the
 * query and the shared prefix outside the gradient), with SGD and with AdamW.
 */
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import type { PlanLossTerm } from '../../../plan/plan.ts';
import { createHead } from '../../../runtime/model/head.ts';
import { initVitRandom } from '../../../runtime/model/init.ts';
import {
  disposeLptModel,
  type LptModel,
  type ModuleName,
  trainableVariables,
} from '../../../runtime/model/lpt_model.ts';
import { createPromptPool } from '../../../runtime/model/prompt_pool.ts';
import { createSharedPrompt } from '../../../runtime/model/prompt.ts';
import { COMPUTE_QUERIES } from '../../../runtime/model/query.ts';
import { makeVitConfig } from '../../../runtime/model/vit_config.ts';
import { stepLossTerms } from '../../../runtime/build/loss_terms.ts';
import { microBatches, rowRanges } from '../../../runtime/train/micro_batch.ts';
import { createAdamW, createSgd } from '../../../runtime/train/optim.ts';
import { createTrainStep, type StepLosses, type StreamBatch, type StreamName } from '../../../runtime/train/step.ts';
import { useTestBackend } from '../../helpers/backend.ts';

const D = 16;
const DEPTH = 3;
const CLASSES = 4;
const COUNTS = [40, 12, 5, 1];
const BATCH = 7;

let model: LptModel;
const batches = new Map<StreamName, StreamBatch>();

test.before(async () => {
  await useTestBackend();
  model = {
    backbone: initVitRandom(
      makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: D, depth: DEPTH, heads: 2 }),
      31,
    ),
    shared: createSharedPrompt(D, DEPTH, { length: 3, layers: [0, 1, 2] }, 32),
    pool: createPromptPool(D, DEPTH, { size: 5, length: 2, layers: [1, 2], topK: 2, combine: 'mean' }, 33),
    adapters: null,
    head: createHead(D, { kind: 'cosine', classes: CLASSES, dropout: 0.3 }, 34),
  };
  (['cb', 'ib', 'sqrt'] as const).forEach((name, s) =>
    batches.set(name, {
      x: tf.randomNormal([BATCH, 1, 8, 8], 0, 1, 'float32', 40 + s) as tf.Tensor4D,
      labels: Int32Array.from({ length: BATCH }, (_, i) => (i * (s + 1)) % CLASSES),
      indices: Int32Array.from({ length: BATCH }, (_, i) => 100 * s + i),
    }),
  );
});

test.after.always(() => {
  tf.dispose([...batches.values()].map((b) => b.x));
  disposeLptModel(model);
});

const term = (loss: PlanLossTerm['loss'], batch: StreamName, scale = 1, args = {}): PlanLossTerm => ({
  loss,
  weight: { scale, linear: [{ from: 1, to: 0.5 }] },
  args,
  batch,
});

/** One step from the model's current values; returns the losses and each variable's new values, then restores them. */
async function step(
  loss: readonly PlanLossTerm[],
  modules: readonly ModuleName[],
  microBatch: number | undefined,
  optimizerKind: 'sgd' | 'adamw',
): Promise<{ losses: StepLosses; after: Float32Array[] }> {
  const vars = trainableVariables(model, modules);
  const before = vars.map((v) => v.dataSync().slice());
  const tensors = tf.memory().numTensors;
  const optimizer = optimizerKind === 'sgd' ? createSgd(vars, { momentum: 0.9 }) : createAdamW(vars);
  const run = createTrainStep({
    model,
    trainable: vars,
    optimizer,
    terms: stepLossTerms(loss, 20, COUNTS, 2),
    queries: COMPUTE_QUERIES,
    ...(microBatch === undefined ? {} : { microBatch }),
  });
  const streams = new Map([...new Set(loss.map((t) => t.batch))].map((name) => [name, batches.get(name)!]));
  const losses = await run(streams, { seed: 5, phase: 'p', epoch: 1, step: 3 }, 0.1);
  const after = vars.map((v) => v.dataSync().slice() as Float32Array);
  optimizer.dispose();
  vars.forEach((v, i) => {
    const start = tf.tensor(before[i]!, v.shape);
    v.assign(start);
    start.dispose();
  });
  if (tf.memory().numTensors !== tensors)
    throw new Error(`the step leaked tensors: ${tensors} -> ${tf.memory().numTensors}`);
  return { losses, after };
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return diff / scale;
}

const LOSSES: readonly [string, PlanLossTerm['loss'], Record<string, number>][] = [
  ['ce with label smoothing', 'ce', { label_smoothing: 0.1 }],
  ['gcl', 'gcl', {}],
  ['agcl', 'agcl', { gamma_pos: 0.5, gamma_neg: 4 }],
  ['focal', 'focal', { gamma: 2 }],
  ['balanced softmax', 'balanced_softmax', {}],
  ['logit adjusted', 'logit_adjust', { tau: 0.7 }],
];

const PHASES: readonly [string, readonly ModuleName[]][] = [
  ['phase 1', ['shared', 'head']],
  ['phase 2', ['pool', 'keys', 'head']],
];

for (const [lossName, loss, args] of LOSSES)
  for (const [phaseName, modules] of PHASES)
    test.serial(
      `${lossName}, ${phaseName}: micro-batches of 3 and 1 update as the whole batch of ${BATCH} does (dual streams)`,
      async (t) => {
        const terms = [term(loss, 'cb', 1, args), term(loss, 'ib', 0.8, args)];
        if (modules.includes('pool')) terms.push(term('matching', 'cb', -0.5), term('matching', 'ib', -0.25));
        const whole = await step(terms, modules, undefined, 'sgd');
        for (const micro of [3, 1]) {
          const split = await step(terms, modules, micro, 'sgd');
          for (const [label, value] of Object.entries(whole.losses))
            t.true(
              Math.abs(split.losses[label]! - value) < 1e-5 * Math.max(1, Math.abs(value)),
              `${label} at ${micro}`,
            );
          whole.after.forEach((w, i) => t.true(maxRelDiff(w, split.after[i]!) < 1e-5, `variable ${i} at ${micro}`));
        }
      },
    );

test.serial('every sampler stream splits alike: class-aware, instance and square-root, with AdamW', async (t) => {
  for (const stream of ['cb', 'ib', 'sqrt'] as const) {
    const terms = [term('agcl', stream), term('matching', stream, -0.5)];
    const whole = await step(terms, ['pool', 'keys', 'head'], undefined, 'adamw');
    const split = await step(terms, ['pool', 'keys', 'head'], 2, 'adamw');
    t.true(Math.abs(split.losses.total! - whole.losses.total!) < 1e-5, stream);
    whole.after.forEach((w, i) => t.true(maxRelDiff(w, split.after[i]!) < 1e-5, `${stream} variable ${i}`));
  }
});

test.serial('a micro-batch as large as the batch is the unsplit step, bit for bit', async (t) => {
  const terms = [term('agcl', 'cb'), term('agcl', 'ib', 0.5)];
  const whole = await step(terms, ['shared', 'head'], undefined, 'sgd');
  const same = await step(terms, ['shared', 'head'], BATCH, 'sgd');
  t.deepEqual(same.losses, whole.losses);
  t.deepEqual(same.after, whole.after);
});

test('rows split in order, the last micro-batch shorter; a shorter stream leaves the last micro-batches', (t) => {
  t.deepEqual(
    rowRanges(7, 3).map((r) => [r.start, r.end]),
    [
      [0, 3],
      [3, 6],
      [6, 7],
    ],
  );
  t.is(
    rowRanges(7, 3).reduce((s, r) => s + r.share, 0),
    1,
  );
  const parts = microBatches(
    new Map([
      ['cb', 4],
      ['ib', 2],
    ]),
    2,
  );
  t.deepEqual(
    parts.map((p) => [...p.keys()]),
    [['cb', 'ib'], ['cb']],
  );
  t.throws(() => rowRanges(4, 0), { message: /positive integer, got 0/ });
});
