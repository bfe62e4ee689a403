/** Parameter counts against the numbers docs/METHOD.md quotes at ViT-B/16 scale. */
import test from 'ava';
import {
  adapterParams,
  deepPromptParams,
  keyParams,
  mlpParams,
  poolParams,
  vitParams,
} from '../../../compiler/plan/params.ts';

const vitB16 = { image: 224, patch: 16, dim: 768, depth: 12, channels: 3, mlpRatio: 4 };

test('ViT-B/16 has 85.8 M parameters (timm, without head)', (t) => {
  t.is(vitParams(vitB16), 85_798_656);
});

test('LPT prompts at ViT-B scale: shared 92,160 + pool 921,600 + keys 15,360 = about 1.03 M, about 1.2%', (t) => {
  const shared = deepPromptParams(12, 10, 768);
  const pool = poolParams(20, 6, 10, 768);
  const keys = keyParams(20, 768);
  t.is(shared, 92_160);
  t.is(pool, 921_600);
  t.is(keys, 15_360);
  t.is(shared + pool + keys, 1_029_120);
  const share = (100 * (shared + pool + keys)) / vitParams(vitB16);
  t.true(share > 1.15 && share < 1.25, `share ${share}`);
});

test('an AdaptFormer adapter has down and up projections with biases', (t) => {
  t.is(adapterParams(1, 768, 64), 768 * 64 + 64 + 64 * 768 + 768);
  t.is(adapterParams(12, 768, 64), 12 * 99_136);
});

test('an MLP scorer with and without a hidden layer', (t) => {
  t.is(mlpParams(20, 8, 2), 20 * 8 + 8 + 8 * 2 + 2);
  t.is(mlpParams(20, 0, 2), 20 * 2 + 2);
});
