import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import {
  type Adapter,
  adapterBranches,
  adapterFromTorch,
  adapterVariables,
  createAdapters,
} from '../../../runtime/model/adapter.ts';
import { applyHead, createHead } from '../../../runtime/model/head.ts';
import { disposeVit, forwardFeatures } from '../../../runtime/model/vit.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';
import { gradientsOf, modelFixture, vitFromFixture } from '../../helpers/model_fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

const PARTS = ['down.weight', 'down.bias', 'up.weight', 'up.bias'] as const;

test('adapters on blocks 0 and 2 and a cosine head: features, logits and gradients match PyTorch', (t) => {
  const fx = modelFixture('adapter');
  const base = modelFixture('backbone');
  const vit = vitFromFixture(base);
  const layers = fx.meta.layers as number[];
  const owned: tf.Tensor[] = [];
  const load = (name: string) => {
    const tensor = fx.tensor(name);
    owned.push(tensor);
    return tensor;
  };
  const adapters: Array<Adapter | null> = [null, null, null];
  for (const i of layers) {
    const [downWeight, downBias, upWeight, upBias] = PARTS.map((p) => load(`adapters.${i}.${p}`)) as tf.Tensor[];
    adapters[i] = adapterFromTorch(
      {
        downWeight: downWeight as tf.Tensor,
        downBias: downBias as tf.Tensor,
        upWeight: upWeight as tf.Tensor,
        upBias: upBias as tf.Tensor,
      },
      fx.meta.scale as number,
    );
  }
  const set = { adapters };
  const head = createHead(24, { kind: 'cosine', classes: 5, init: load('head') }, 0);
  const x = base.tensor('x');
  owned.push(x);
  const r = load('r');
  const r3 = load('r3');
  const parallel = adapterBranches(set);

  const [f, logits] = tf.tidy(() => {
    const features = forwardFeatures(vit, x, { parallel });
    return [features, applyHead(head, features)];
  }) as [tf.Tensor, tf.Tensor];
  t.true(maxAbsDiff(f, fx.values('features')) < 1e-4, `features ${maxAbsDiff(f, fx.values('features'))}`);
  t.true(maxAbsDiff(logits, fx.values('logits')) < 1e-4, 'cosine logits');

  const vars = [...adapterVariables(set), head.weight];
  const grads = gradientsOf(() => {
    const features = forwardFeatures(vit, x, { parallel });
    return tf.add(tf.sum(tf.mul(features, r)), tf.sum(tf.mul(applyHead(head, features), r3))) as tf.Scalar;
  }, vars);
  const expectedNames = [...layers.flatMap((i) => PARTS.map((p) => `grad.adapters.${i}.${p}`)), 'grad.head'];
  expectedNames.forEach((name, k) => {
    // torch layouts: down [r, D], up [D, r], head [C, D]; ours are transposed.
    const shape = fx.shape(name);
    const expected =
      shape.length === 2 ? tf.transpose(tf.tensor(fx.values(name), shape)) : tf.tensor(fx.values(name), shape);
    const diff = maxAbsDiff(grads[k] as Float32Array, expected);
    t.true(diff < 1e-4, `${name}: ${diff}`);
    expected.dispose();
  });
  tf.dispose([...owned, f, logits, ...vars]);
  disposeVit(vit);
});

test('a fresh adapter (zero up-projection) leaves the features unchanged', (t) => {
  const base = modelFixture('backbone');
  const vit = vitFromFixture(base);
  const set = createAdapters(24, 3, { bottleneck: 4, scale: 0.1, layers: [0, 1, 2] }, 3);
  t.true(adapterVariables(set).every((v) => v.trainable));
  const x = base.tensor('x');
  const f = tf.tidy(() => forwardFeatures(vit, x, { parallel: adapterBranches(set) }));
  t.true(maxAbsDiff(f, base.values('features')) < 1e-4);
  // ...but its down-projection is random, so the up-projection gets a gradient at once.
  const up = set.adapters[1]?.upWeight as tf.Variable;
  const [g] = gradientsOf(() => tf.sum(forwardFeatures(vit, x, { parallel: adapterBranches(set) })) as tf.Scalar, [up]);
  t.true(Math.max(...Array.from(g as Float32Array, Math.abs)) > 0);
  tf.dispose([x, f, ...adapterVariables(set)]);
  disposeVit(vit);
});
