import test from 'ava';
import { flopsPerImage } from '../../bench/flops.ts';
import { makeVitConfig } from '../../runtime/model/vit_config.ts';

test('bench FLOPs: phase 1 is one prompted forward plus its input-gradient backward', (t) => {
  // A one-block ViT, 4 patches + CLS + 10 prompt tokens = 15 tokens, dim 8, MLP 32, on 1x4x4 images.
  const c = makeVitConfig({ imageSize: 4, patchSize: 2, channels: 1, dim: 8, depth: 1, heads: 2 });
  const n = 15;
  const linear = n * (8 * 24 + 8 * 8 + 2 * 8 * 32); // qkv, proj, fc1, fc2 multiply-adds
  const attention = 2 * n * n * 8; // q k^T and p v
  const patches = 4 * 4 * 8;
  t.is(flopsPerImage('1', c), 2 * (patches + linear + attention + linear + 2 * attention));
});

test('bench FLOPs: phase 2 costs more than inference, which costs two forward passes', (t) => {
  t.true(flopsPerImage('2') > flopsPerImage('infer'));
  t.true(flopsPerImage('infer') > flopsPerImage('1') / 2);
});
