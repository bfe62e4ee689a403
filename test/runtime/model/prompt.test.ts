import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { ModelConfigError } from '../../../runtime/model/errors.ts';
import { createSharedPrompt, sharedBlockTokens, sharedPromptFromTensor } from '../../../runtime/model/prompt.ts';
import { disposeVit, forwardFeatures } from '../../../runtime/model/vit.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';
import { gradientsOf, modelFixture, vitFromFixture } from '../../helpers/model_fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

test('deep shared prompt on blocks 0 and 2: features and gradient match PyTorch', (t) => {
  const fx = modelFixture('shared');
  const base = modelFixture('backbone');
  const vit = vitFromFixture(base);
  const x = base.tensor('x');
  const r = fx.tensor('r');
  const tokens = fx.tensor('shared');
  const shared = sharedPromptFromTensor(tokens, fx.meta.layers as number[], vit.config.depth);
  const features = () => forwardFeatures(vit, x, { blockTokens: sharedBlockTokens(shared, vit.config.depth, 4) });

  const f = tf.tidy(features);
  t.true(maxAbsDiff(f, fx.values('features')) < 1e-4, `features ${maxAbsDiff(f, fx.values('features'))}`);
  t.true(maxAbsDiff(f, base.values('features')) > 1e-2, 'the prompt changes the features');
  const [g] = gradientsOf(() => tf.sum(tf.mul(features(), r)) as tf.Scalar, [shared.prompts]);
  t.true(
    maxAbsDiff(g as Float32Array, fx.values('grad.shared')) < 1e-4,
    `grad ${maxAbsDiff(g as Float32Array, fx.values('grad.shared'))}`,
  );
  tf.dispose([x, r, tokens, f, shared.prompts]);
  disposeVit(vit);
});

test('sharedBlockTokens: [B, L, D] on the chosen blocks, null elsewhere', (t) => {
  const p = createSharedPrompt(8, 4, { length: 3, layers: [1, 3] }, 7);
  t.true(p.prompts.trainable);
  t.deepEqual(p.prompts.shape, [2, 3, 8]);
  const tokens = sharedBlockTokens(p, 4, 5);
  t.deepEqual(
    tokens.map((x) => x?.shape ?? null),
    [null, [5, 3, 8], null, [5, 3, 8]],
  );
  const row = tf.slice(p.prompts, [1, 0, 0], [1, 3, 8]);
  t.is(maxAbsDiff(tf.slice(tokens[3] as tf.Tensor, [4, 0, 0], [1, 3, 8]), row), 0);
  tf.dispose([...tokens.filter((x): x is tf.Tensor => x !== null), row, p.prompts]);
});

test('sharedBlockTokens for a pass over some blocks only: none before `from`, none past `depth`', (t) => {
  const p = createSharedPrompt(8, 4, { length: 3, layers: [0, 1, 3] }, 7);
  const later = sharedBlockTokens(p, 4, 5, 1);
  t.deepEqual(
    later.map((x) => x?.shape ?? null),
    [null, [5, 3, 8], null, [5, 3, 8]],
  );
  const prefix = sharedBlockTokens(p, 2, 5);
  t.deepEqual(
    prefix.map((x) => x?.shape ?? null),
    [
      [5, 3, 8],
      [5, 3, 8],
    ],
  );
  tf.dispose([...later, ...prefix].filter((x): x is tf.Tensor => x !== null));
  p.prompts.dispose();
});

test('the batch broadcast sends the summed gradient back to each prompt token', (t) => {
  const p = createSharedPrompt(4, 1, { length: 2, layers: [0] }, 1);
  const weights = tf.randomNormal([3, 2, 4]);
  const [g] = gradientsOf(
    () => tf.sum(tf.mul(sharedBlockTokens(p, 1, 3)[0] as tf.Tensor, weights)) as tf.Scalar,
    [p.prompts],
  );
  t.true(maxAbsDiff(g as Float32Array, tf.sum(weights, 0)) < 1e-6);
  tf.dispose([weights, p.prompts]);
});

test('bad prompt configurations are reported together', (t) => {
  const error = t.throws(() => createSharedPrompt(8, 4, { length: 0, layers: [2, 1, 9] }, 1), {
    instanceOf: ModelConfigError,
  });
  t.regex(error?.message ?? '', /length must be a positive integer/);
  t.regex(error?.message ?? '', /strictly increasing/);
  t.regex(error?.message ?? '', /layers\[2\] = 9 is not a block index in 0\.\.3/);
});
