import test from 'ava';
import { ModelConfigError } from '../../../runtime/model/errors.ts';
import { gridSize, headDim, makeVitConfig, tokenCount } from '../../../runtime/model/vit_config.ts';

test('defaults are timm ViT defaults', (t) => {
  const c = makeVitConfig({ imageSize: 28, patchSize: 4, dim: 192, depth: 6, heads: 3 });
  t.like(c, {
    channels: 3,
    mlpDim: 768,
    layerNormEps: 1e-6,
    activation: 'gelu',
    patchBias: true,
    preNorm: false,
    projectionDim: null,
  });
  t.is(gridSize(c), 7);
  t.is(tokenCount(c), 50);
  t.is(headDim(c), 64);
});

test('every broken invariant is reported at construction', (t) => {
  const error = t.throws(() => makeVitConfig({ imageSize: 30, patchSize: 4, dim: 100, depth: 2, heads: 3 }), {
    instanceOf: ModelConfigError,
  });
  t.deepEqual(error?.problems, ['dim 100 is not divisible by heads 3', 'imageSize 30 is not divisible by patchSize 4']);
});

test('non-positive sizes and unknown activations are rejected', (t) => {
  const error = t.throws(
    () => makeVitConfig({ imageSize: 28, patchSize: 4, dim: 16, depth: 0, heads: 2, activation: 'relu' as 'gelu' }),
    { instanceOf: ModelConfigError },
  );
  t.regex(error?.message ?? '', /depth must be a positive integer \(got 0\)/);
  const act = t.throws(() =>
    makeVitConfig({ imageSize: 28, patchSize: 4, dim: 16, depth: 1, heads: 2, activation: 'relu' as 'gelu' }),
  );
  t.regex(act?.message ?? '', /activation must be 'gelu' or 'quick_gelu'/);
});
