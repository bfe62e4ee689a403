import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { createAdapters } from '../../../runtime/model/adapter.ts';
import { applyHead, createHead } from '../../../runtime/model/head.ts';
import { initVitRandom } from '../../../runtime/model/init.ts';
import {
  disposeLptModel,
  forwardPrompted,
  forwardQuery,
  type LptModel,
  type ModuleName,
  namedTrainables,
  predictLogits,
  trainableParameterCount,
  trainableVariables,
} from '../../../runtime/model/lpt_model.ts';
import { createPromptPool } from '../../../runtime/model/prompt_pool.ts';
import { createSharedPrompt } from '../../../runtime/model/prompt.ts';
import { backboneVariables } from '../../../runtime/model/vit.ts';
import { makeVitConfig } from '../../../runtime/model/vit_config.ts';
import { useTestBackend } from '../../helpers/backend.ts';

test.before(async () => {
  await useTestBackend();
});

const D = 16;
const DEPTH = 2;

function toyModel(seed: number): LptModel {
  const backbone = initVitRandom(
    makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: D, depth: DEPTH, heads: 2 }),
    seed,
  );
  return {
    backbone,
    shared: createSharedPrompt(D, DEPTH, { length: 3, layers: [0, 1] }, seed + 1),
    pool: createPromptPool(D, DEPTH, { size: 4, length: 2, layers: [1], topK: 2, combine: 'mean' }, seed + 2),
    adapters: createAdapters(D, DEPTH, { bottleneck: 4, scale: 0.1, layers: [0, 1] }, seed + 3),
    head: createHead(D, { kind: 'cosine', classes: 3, dropout: 0.1 }, seed + 4),
  };
}

function snapshot(vars: readonly tf.Variable[]): Float32Array[] {
  return vars.map((v) => (v.dataSync() as Float32Array).slice());
}

function identical(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  return (
    a.length === b.length && a.every((x, i) => x.length === b[i]?.length && x.every((v, j) => Object.is(v, b[i]?.[j])))
  );
}

test('trainableVariables: only module variables, by module, never the backbone', (t) => {
  const n0 = tf.memory().numTensors;
  const model = toyModel(1);
  const backbone = new Set(backboneVariables(model.backbone));
  const all = trainableVariables(model);
  t.true(all.every((v) => v.trainable && !backbone.has(v)));
  t.deepEqual(trainableVariables(model, ['shared']), [model.shared?.prompts]);
  t.deepEqual(trainableVariables(model, ['pool', 'keys']), [model.pool?.prompts, model.pool?.keys]);
  t.is(trainableVariables(model, ['adapters']).length, 8);
  // shared 2*3*16, pool 4*1*2*16 + keys 4*16, adapters 2*(16*4+4+4*16+16), head 16*3
  t.is(trainableParameterCount(model), 96 + 128 + 64 + 2 * 148 + 48);
  t.deepEqual([...namedTrainables(model).keys()].slice(0, 4), [
    'shared.prompts',
    'pool.prompts',
    'pool.keys',
    'adapters.0.down.weight',
  ]);
  disposeLptModel(model);
  t.is(tf.memory().numTensors, n0, 'disposeLptModel releases everything it made');
});

test('forward passes: shapes, and no tensor growth', (t) => {
  const model = toyModel(2);
  const x = tf.randomNormal([3, 1, 8, 8]);
  const n0 = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    const logits = predictLogits(model, x);
    t.deepEqual(logits.shape, [3, 3]);
    logits.dispose();
    const [q, f, idx] = tf.tidy(() => {
      const query = forwardQuery(model, x);
      const out = forwardPrompted(model, x, query);
      return [query, out.features, out.selection?.indices as tf.Tensor];
    });
    t.deepEqual(
      [q?.shape, f?.shape, idx?.shape],
      [
        [3, D],
        [3, D],
        [3, 2],
      ],
    );
    tf.dispose([q, f, idx]);
    t.is(tf.memory().numTensors, n0);
  }
  t.throws(() => forwardPrompted(model, x), { message: /needs the query/ });
  x.dispose();
  disposeLptModel(model);
});

for (const [name, makeOptimizer] of [
  ['sgd', () => tf.train.sgd(0.1)],
  ['momentum', () => tf.train.momentum(0.1, 0.9)],
] as const) {
  test(`${name} steps: trainables move, frozen weights stay bit-identical, no tensor growth`, (t) => {
    const model = toyModel(3);
    const x = tf.randomNormal([4, 1, 8, 8]);
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
    const phases: ModuleName[][] = [
      ['shared', 'adapters', 'head'],
      ['pool', 'keys', 'head'],
    ];
    const frozen = backboneVariables(model.backbone);
    const frozenBefore = snapshot(frozen);
    const sharedBefore = snapshot(trainableVariables(model, ['shared']));
    let n0 = -1;
    for (const modules of phases) {
      // One optimizer per phase: tfjs keys momentum slots by position in the variable list.
      const optimizer = makeOptimizer();
      const vars = trainableVariables(model, modules);
      const before = snapshot(vars);
      for (let step = 0; step < 3; step++) {
        const query = tf.tidy(() => forwardQuery(model, x)); // constant for the step: no gradient
        const loss = optimizer.minimize(
          () => {
            const out = forwardPrompted(model, x, query);
            const logits = tf.mul(applyHead(model.head as NonNullable<LptModel['head']>, out.features, true, step), 20);
            const ce = tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1)));
            return tf.sub(
              ce,
              tf.mul(0.5, tf.mean(tf.sum(out.selection?.selectedSimilarity as tf.Tensor, 1))),
            ) as tf.Scalar;
          },
          true,
          vars,
        );
        t.true(Number.isFinite(loss?.dataSync()[0]));
        tf.dispose([query, loss as tf.Scalar]);
        // the optimizer creates its slots on the first step of each variable set
        if (step === 1) n0 = tf.memory().numTensors;
        if (step === 2) t.is(tf.memory().numTensors, n0, `${modules.join('+')}: no growth`);
      }
      t.false(identical(before, snapshot(vars)), `${modules.join('+')} moved`);
      optimizer.dispose();
    }
    t.true(identical(frozenBefore, snapshot(frozen)), 'backbone bit-identical');
    t.false(
      identical(sharedBefore, snapshot(trainableVariables(model, ['shared']))),
      'phase 1 trained the shared prompt',
    );
    tf.dispose([x, labels]);
    disposeLptModel(model);
  });
}
