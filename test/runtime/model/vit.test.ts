import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { initVitRandom } from '../../../runtime/model/init.ts';
import {
  backboneParameterCount,
  backboneVariables,
  disposeVit,
  embeddingDim,
  forwardFeatures,
  projectFeatures,
} from '../../../runtime/model/vit.ts';
import { makeVitConfig } from '../../../runtime/model/vit_config.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';
import { modelFixture, vitFromFixture } from '../../helpers/model_fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

const TOLERANCE = 1e-4;

test('backbone features match the PyTorch reference', (t) => {
  const fx = modelFixture('backbone');
  const vit = vitFromFixture(fx);
  const x = fx.tensor('x');
  const f = tf.tidy(() => forwardFeatures(vit, x));
  t.deepEqual(f.shape, fx.shape('features'));
  t.true(maxAbsDiff(f, fx.values('features')) < TOLERANCE, `max abs diff ${maxAbsDiff(f, fx.values('features'))}`);
  tf.dispose([x, f]);
  disposeVit(vit);
});

test('CLIP-style ViT (ln_pre, QuickGELU, eps 1e-5, no patch bias, projection) matches PyTorch', (t) => {
  const fx = modelFixture('clip');
  const vit = vitFromFixture(fx);
  t.is(embeddingDim(vit), 12);
  const x = fx.tensor('x');
  const [f, p] = tf.tidy(() => {
    const features = forwardFeatures(vit, x);
    return [features, projectFeatures(vit, features)];
  });
  t.true(maxAbsDiff(f as tf.Tensor, fx.values('features')) < TOLERANCE);
  t.deepEqual(p?.shape, [3, 12]);
  t.true(maxAbsDiff(p as tf.Tensor, fx.values('projected')) < TOLERANCE);
  tf.dispose([x, f, p]);
  disposeVit(vit);
});

test('a pos_embed made for a 5x5 grid is resampled like timm (bicubic, antialias)', (t) => {
  const fx = modelFixture('resample');
  const notes: string[] = [];
  const vit = vitFromFixture(fx, { onNote: (n) => notes.push(n) });
  t.deepEqual(vit.posEmbed.shape, [1, 10, 24]);
  t.regex(notes.join('\n'), /5x5 to a 3x3 patch grid \(bicubic, antialias\)/);
  const x = fx.tensor('x');
  const f = tf.tidy(() => forwardFeatures(vit, x));
  t.true(maxAbsDiff(f, fx.values('features')) < TOLERANCE, `max abs diff ${maxAbsDiff(f, fx.values('features'))}`);
  tf.dispose([x, f]);
  disposeVit(vit);
});

test('output shapes, frozen variables and no tensor growth across forward passes', (t) => {
  const config = makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: 16, depth: 2, heads: 2 });
  const before = tf.memory().numTensors;
  const vit = initVitRandom(config, 3);
  t.true(backboneVariables(vit).every((v) => !v.trainable));
  // patch 16*1*4*4+16, cls 16, pos 5*16, 2 blocks x (2*32 norms + 16*48+48 + 16*16+16 + 16*64+64 + 64*16+16), norm 32
  t.is(backboneParameterCount(vit), 272 + 16 + 80 + 2 * (64 + 816 + 272 + 1088 + 1040) + 32);
  const x = tf.randomNormal([5, 1, 8, 8]);
  const n0 = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    const f = tf.tidy(() => forwardFeatures(vit, x));
    t.deepEqual(f.shape, [5, 16]);
    f.dispose();
    t.is(tf.memory().numTensors, n0);
  }
  x.dispose();
  disposeVit(vit);
  t.is(tf.memory().numTensors, before);
});

test('the input must be NCHW at the configured size', (t) => {
  const vit = initVitRandom(makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: 16, depth: 1, heads: 2 }), 1);
  const nhwc = tf.zeros([2, 8, 8, 1]);
  t.throws(() => forwardFeatures(vit, nhwc), { message: /\[B, 1, 8, 8\].*got \[2, 8, 8, 1\]/ });
  nhwc.dispose();
  disposeVit(vit);
});
