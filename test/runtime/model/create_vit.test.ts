import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { WeightsError } from '../../../runtime/weights/errors.ts';
import { createVit } from '../../../runtime/model/create_vit.ts';
import { randomVitWeights } from '../../../runtime/model/init.ts';
import { backboneVariables, disposeVit, forwardFeatures } from '../../../runtime/model/vit.ts';
import { makeVitConfig } from '../../../runtime/model/vit_config.ts';
import { vitWeightShapes } from '../../../runtime/model/vit_weights.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

const config = makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: 8, depth: 2, heads: 2 });

function withWeights(edit: (w: Map<string, tf.Tensor>) => void): Map<string, tf.Tensor> {
  const w = randomVitWeights(config, 1);
  edit(w);
  return w;
}

test('a missing tensor is named, with the shape it should have', (t) => {
  const w = withWeights((m) => m.delete('blocks.1.attn.qkv.bias'));
  const error = t.throws(() => createVit(config, w, { source: 'vit.safetensors' }), { instanceOf: WeightsError });
  t.is(error?.kind, 'missing');
  t.is(error?.tensor, 'blocks.1.attn.qkv.bias');
  t.regex(error?.message ?? '', /^vit\.safetensors: .*'blocks\.1\.attn\.qkv\.bias' is missing \(expected \[24\]\)/);
  tf.dispose([...w.values()]);
});

test('mis-shaped and unexpected tensors are all reported at once', (t) => {
  const w = withWeights((m) => {
    m.get('blocks.0.mlp.fc1.weight')?.dispose();
    m.set('blocks.0.mlp.fc1.weight', tf.zeros([8, 32]));
    m.set('head.weight', tf.zeros([10, 8]));
  });
  const error = t.throws(() => createVit(config, w), { instanceOf: WeightsError });
  t.is(error?.kind, 'shape');
  t.regex(error?.message ?? '', /'blocks\.0\.mlp\.fc1\.weight' has shape \[8, 32\], the config needs \[32, 8\]/);
  t.regex(error?.message ?? '', /'head\.weight' is not part of this ViT/);
  tf.dispose([...w.values()]);
});

test('a non-float tensor is a dtype error', (t) => {
  const w = withWeights((m) => {
    m.get('cls_token')?.dispose();
    m.set('cls_token', tf.zeros([1, 1, 8], 'int32'));
  });
  const error = t.throws(() => createVit(config, w), { instanceOf: WeightsError });
  t.is(error?.kind, 'dtype');
  t.is(error?.tensor, 'cls_token');
  tf.dispose([...w.values()]);
});

test('a pos_embed for another grid is refused when resampling is off', (t) => {
  const w = withWeights((m) => {
    m.get('pos_embed')?.dispose();
    m.set('pos_embed', tf.zeros([1, 10, 8]));
  });
  const error = t.throws(() => createVit(config, w, { posEmbedResample: null }), { instanceOf: WeightsError });
  t.regex(error?.message ?? '', /'pos_embed' has shape \[1, 10, 8\], the config needs \[1, 5, 8\]/);
  tf.dispose([...w.values()]);
});

test('host tensors ({dtype, shape, data}) load like tf tensors; weights are frozen copies', (t) => {
  const w = randomVitWeights(config, 2);
  const host = new Map(
    [...w].map(([name, tensor]) => [
      name,
      { dtype: 'float32', shape: tensor.shape, data: tensor.dataSync() as Float32Array },
    ]),
  );
  const before = tf.memory().numTensors;
  const a = createVit(config, w);
  const b = createVit(config, host);
  t.true(backboneVariables(b).every((v) => !v.trainable));
  t.is(backboneVariables(b).length, vitWeightShapes(config).size);
  const x = tf.randomNormal([2, 1, 8, 8]);
  const [fa, fb] = tf.tidy(() => [forwardFeatures(a, x), forwardFeatures(b, x)]);
  t.is(maxAbsDiff(fa as tf.Tensor, fb as tf.Tensor), 0);
  tf.dispose([...w.values()]);
  const fa2 = tf.tidy(() => forwardFeatures(a, x));
  t.is(maxAbsDiff(fa2, fa as tf.Tensor), 0, 'the model does not depend on the caller keeping its tensors');
  tf.dispose([x, fa, fb, fa2]);
  disposeVit(a);
  disposeVit(b);
  t.is(tf.memory().numTensors, before - w.size);
});
