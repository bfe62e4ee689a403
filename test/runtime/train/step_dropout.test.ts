/**
 * Dropout in a dual-sampling step: the class-balanced and the instance stream draw independent
 * masks (the authors' code runs two separate forward passes), and a stream's mask is fixed by
 * the step's key, so a resumed run draws the same one.
 */
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import type { PlanLossTerm } from '../../../plan/plan.ts';
import { createHead } from '../../../runtime/model/head.ts';
import { initVitRandom } from '../../../runtime/model/init.ts';
import { disposeLptModel, type LptModel, trainableVariables } from '../../../runtime/model/lpt_model.ts';
import { createSharedPrompt } from '../../../runtime/model/prompt.ts';
import { COMPUTE_QUERIES } from '../../../runtime/model/query.ts';
import { makeVitConfig } from '../../../runtime/model/vit_config.ts';
import { stepLossTerms } from '../../../runtime/build/loss_terms.ts';
import { createSgd } from '../../../runtime/train/optim.ts';
import { createTrainStep, dropoutSeed, type StreamBatch } from '../../../runtime/train/step.ts';
import { useTestBackend } from '../../helpers/backend.ts';

test.before(async () => {
  await useTestBackend();
});

const D = 16;
const term = (batch: 'cb' | 'ib'): PlanLossTerm => ({ loss: 'ce', weight: { scale: 1, linear: [] }, args: {}, batch });

test('the two streams of a dual step get independent dropout masks, each fixed by the step key', async (t) => {
  const model: LptModel = {
    backbone: initVitRandom(makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: D, depth: 2, heads: 2 }), 3),
    shared: createSharedPrompt(D, 2, { length: 2, layers: [0, 1] }, 4),
    pool: null,
    adapters: null,
    head: createHead(D, { kind: 'cosine', classes: 3, dropout: 0.5 }, 5),
  };
  const x = tf.randomNormal([6, 1, 8, 8], 0, 1, 'float32', 6) as tf.Tensor4D;
  const batch: StreamBatch = {
    x,
    labels: Int32Array.from([0, 1, 2, 0, 1, 2]),
    indices: Int32Array.from([0, 1, 2, 3, 4, 5]),
  };
  const vars = trainableVariables(model, ['head']);
  const start = vars.map((v) => v.clone());
  const run = async (key: { seed: number; phase: string; epoch: number; step: number }) => {
    const optimizer = createSgd(vars);
    const terms = stepLossTerms([term('cb'), term('ib')], 20, [2, 2, 2], 1);
    // lr 0: the variables stay at their start, so only the masks can make the streams differ
    const losses = await createTrainStep({ model, trainable: vars, optimizer, terms, queries: COMPUTE_QUERIES })(
      new Map([
        ['cb', batch],
        ['ib', batch],
      ]),
      key,
      0,
    );
    optimizer.dispose();
    return losses;
  };
  const key = { seed: 1, phase: 'one', epoch: 0, step: 0 };
  const before = tf.memory().numTensors;
  const first = await run(key);
  t.is(tf.memory().numTensors, before);
  const labels = Object.keys(first).filter((k) => k !== 'total');
  t.is(labels.length, 2);
  // the same images through both streams: equal losses would mean one shared mask
  t.not(first[labels[0]!], first[labels[1]!]);
  t.deepEqual(await run(key), first);
  t.not((await run({ ...key, step: 1 }))[labels[0]!], first[labels[0]!]);
  t.not(dropoutSeed(key, 'cb'), dropoutSeed(key, 'ib'));
  vars.forEach((v, i) => t.deepEqual(Array.from(v.dataSync()), Array.from(start[i]!.dataSync())));
  tf.dispose([x, ...start]);
  disposeLptModel(model);
});
