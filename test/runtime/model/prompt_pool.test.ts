import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { ModelConfigError } from '../../../runtime/model/errors.ts';
import { forwardPrompted, forwardQuery, type LptModel } from '../../../runtime/model/lpt_model.ts';
import {
  createPromptPool,
  type PoolCombine,
  poolBlockTokens,
  promptPoolFromTensors,
  selectFromPool,
} from '../../../runtime/model/prompt_pool.ts';
import { sharedPromptFromTensor } from '../../../runtime/model/prompt.ts';
import { disposeVit } from '../../../runtime/model/vit.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';
import { gradientsOf, modelFixture, vitFromFixture } from '../../helpers/model_fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

const close = (a: tf.Tensor | Float32Array, b: Float32Array | Int32Array) => maxAbsDiff(a, b) < 1e-4;

for (const combine of ['mean', 'concat'] as PoolCombine[]) {
  test(`shared + pool (top-2, ${combine}): query, selection, features and gradients match PyTorch`, (t) => {
    const fx = modelFixture(`pool_${combine}`);
    const base = modelFixture('backbone');
    const backbone = vitFromFixture(base);
    const depth = backbone.config.depth;
    const [x, r, r2, sharedT, poolT, keysT] = ['x', 'r', 'r2', 'shared', 'pool', 'keys'].map((n) =>
      n === 'x' ? base.tensor(n) : fx.tensor(n),
    ) as tf.Tensor[];
    const model: LptModel = {
      backbone,
      shared: sharedPromptFromTensor(sharedT as tf.Tensor, fx.meta.sharedLayers as number[], depth),
      pool: promptPoolFromTensors(
        poolT as tf.Tensor,
        keysT as tf.Tensor,
        {
          layers: fx.meta.poolLayers as number[],
          topK: fx.meta.topK as number,
          combine,
        },
        depth,
      ),
      adapters: null,
      head: null,
    };
    const query = tf.tidy(() => forwardQuery(model, x as tf.Tensor));
    t.true(close(query, fx.values('query')), 'query');

    const out = forwardPrompted(model, x as tf.Tensor, query);
    const selection = out.selection;
    if (selection === null) return t.fail('no selection');
    t.true(close(selection.similarity, fx.values('similarity')), 'similarity');
    t.deepEqual(Array.from(selection.indices.dataSync()), Array.from(fx.values('indices')), 'top-k indices');
    t.is(selection.indices.dtype, 'int32');
    t.true(close(selection.selectedSimilarity, fx.values('selected')), 'selected similarity');
    t.true(close(out.features, fx.values('features')), `features ${maxAbsDiff(out.features, fx.values('features'))}`);

    const vars = [model.shared?.prompts, model.pool?.prompts, model.pool?.keys] as tf.Variable[];
    const grads = gradientsOf(() => {
      const o = forwardPrompted(model, x as tf.Tensor, query);
      return tf.add(
        tf.sum(tf.mul(o.features, r as tf.Tensor)),
        tf.sum(tf.mul(o.selection?.selectedSimilarity as tf.Tensor, r2 as tf.Tensor)),
      ) as tf.Scalar;
    }, vars);
    ['grad.shared', 'grad.pool', 'grad.keys'].forEach((name, i) => {
      const diff = maxAbsDiff(grads[i] as Float32Array, fx.values(name));
      t.true(diff < 1e-4, `${name}: ${diff}`);
    });
    tf.dispose([
      x,
      r,
      r2,
      sharedT,
      poolT,
      keysT,
      query,
      out.features,
      selection.similarity,
      selection.indices,
      selection.selectedSimilarity,
      selection.oneHot,
      ...vars,
    ]);
    disposeVit(backbone);
  });
}

test('pool tokens: mean gives [B, L, D], concat [B, k*L, D], only on the pool blocks', (t) => {
  tf.tidy(() => {
    const config = { size: 4, length: 2, layers: [2, 3], topK: 3 };
    const mean = createPromptPool(8, 4, { ...config, combine: 'mean' }, 1);
    const concat = createPromptPool(8, 4, { ...config, combine: 'concat' }, 1);
    const query = tf.randomNormal([5, 8]);
    const selection = selectFromPool(mean, query);
    t.deepEqual(selection.indices.shape, [5, 3]);
    t.deepEqual(
      poolBlockTokens(mean, selection, 4).map((x) => x?.shape ?? null),
      [null, null, [5, 2, 8], [5, 2, 8]],
    );
    t.deepEqual(
      poolBlockTokens(concat, selection, 4).map((x) => x?.shape ?? null),
      [null, null, [5, 6, 8], [5, 6, 8]],
    );
    // concat of entry i's layer-j tokens, best first, for sample 0
    const idx = Array.from(selection.indices.dataSync().slice(0, 3));
    const expected = tf.concat(
      idx.map((i) => tf.reshape(tf.slice(concat.prompts, [i, 1, 0, 0], [1, 1, 2, 8]), [2, 8])),
      0,
    );
    const got = tf.slice(poolBlockTokens(concat, selection, 4)[3] as tf.Tensor, [0, 0, 0], [1, 6, 8]);
    t.is(maxAbsDiff(tf.reshape(got, [6, 8]), expected), 0);
    tf.dispose([mean.prompts, mean.keys, concat.prompts, concat.keys]);
  });
});

test('top-k larger than the pool, or a bad combine, is a configuration error', (t) => {
  const error = t.throws(
    () => createPromptPool(8, 4, { size: 3, length: 2, layers: [3], topK: 4, combine: 'sum' as PoolCombine }, 1),
    { instanceOf: ModelConfigError },
  );
  t.regex(error?.message ?? '', /topK 4 exceeds the pool size 3/);
  t.regex(error?.message ?? '', /combine must be 'mean' or 'concat'/);
});

test("keys start truncated-normal with std 0.02 (the authors' code), or U[-1, 1] with keyInit 'uniform'", (t) => {
  const config = { size: 20, length: 2, layers: [3], topK: 2, combine: 'mean' as const };
  const normal = createPromptPool(64, 4, config, 5);
  const uniform = createPromptPool(64, 4, { ...config, keyInit: 'uniform' }, 5);
  const norms = (v: tf.Variable) => tf.tidy(() => tf.norm(v, 2, 1).dataSync() as Float32Array);
  // std 0.02 in 64 dims: |k| ~ 0.15; U[-1, 1]: |k| ~ sqrt(64 / 3) ~ 4.6
  for (const n of norms(normal.keys)) t.true(n > 0.09 && n < 0.22, `normal key norm ${n}`);
  for (const n of norms(uniform.keys)) t.true(n > 3.5 && n < 5.8, `uniform key norm ${n}`);
  t.throws(() => createPromptPool(64, 4, { ...config, keyInit: 'ones' as 'normal' }, 5), {
    instanceOf: ModelConfigError,
    message: /keyInit must be/,
  });
  tf.dispose([normal.prompts, normal.keys, uniform.prompts, uniform.keys]);
});
