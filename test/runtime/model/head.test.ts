import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { ModelConfigError } from '../../../runtime/model/errors.ts';
import { applyHead, createHead, headTrainables, headVariables } from '../../../runtime/model/head.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

test('linear head: f W + b, shape [B, C]', (t) => {
  tf.tidy(() => {
    const head = createHead(6, { kind: 'linear', classes: 4 }, 1);
    t.deepEqual(
      headVariables(head).map((v) => v.shape),
      [[6, 4], [4]],
    );
    head.bias?.assign(tf.tensor1d([1, 2, 3, 4]));
    const f = tf.randomNormal([3, 6]);
    const z = applyHead(head, f);
    t.deepEqual(z.shape, [3, 4]);
    t.true(maxAbsDiff(z, tf.add(tf.matMul(f, head.weight), head.bias as tf.Variable)) < 1e-6);
    tf.dispose(headVariables(head));
  });
});

test('cosine head: cos(f, w_j) with no bias, invariant to the scale of f, scale kept for the loss', (t) => {
  tf.tidy(() => {
    const init = tf.tensor2d([
      [1, 0],
      [0, 2],
      [-3, 0],
    ]); // [C=3, D=2]
    const head = createHead(2, { kind: 'cosine', classes: 3, init }, 0);
    t.is(head.bias, null);
    t.is(head.scale, 20);
    const z = applyHead(head, tf.tensor2d([[5, 5]]));
    t.true(maxAbsDiff(z, [Math.SQRT1_2, Math.SQRT1_2, -Math.SQRT1_2]) < 1e-6);
    t.true(maxAbsDiff(applyHead(head, tf.tensor2d([[0.5, 0.5]])), z) < 1e-6);
    tf.dispose(headVariables(head));
  });
});

test('dropout applies only in training', (t) => {
  tf.tidy(() => {
    const head = createHead(64, { kind: 'linear', classes: 2, dropout: 0.5 }, 1);
    const f = tf.ones([4, 64]);
    t.is(maxAbsDiff(applyHead(head, f, false), applyHead(head, f, false)), 0);
    t.true(maxAbsDiff(applyHead(head, f, true, 1), applyHead(head, f, false)) > 0);
    tf.dispose(headVariables(head));
  });
});

test('bad head configurations are rejected', (t) => {
  const init = tf.zeros([3, 5]);
  const error = t.throws(() => createHead(4, { kind: 'cosine', classes: 3, dropout: 1, init }, 0), {
    instanceOf: ModelConfigError,
  });
  t.regex(error?.message ?? '', /dropout must be in \[0, 1\)/);
  t.regex(error?.message ?? '', /init must be \[3, 4\], got \[3, 5\]/);
  init.dispose();
});

/** Per-class column norms |w_j| of a head's weight [D, C]. */
function columnNorms(head: ReturnType<typeof createHead>): Float32Array {
  return tf.tidy(() => tf.norm(head.weight, 2, 0).dataSync() as Float32Array);
}

test("cosine head starts with unit-norm class columns (the authors' NormedLinear); 'normal' gives timm's std-0.02 init", (t) => {
  const unit = createHead(64, { kind: 'cosine', classes: 10 }, 3);
  const normal = createHead(64, { kind: 'cosine', classes: 10, randomInit: 'normal' }, 3);
  const linear = createHead(64, { kind: 'linear', classes: 10 }, 3);
  for (const n of columnNorms(unit)) t.true(Math.abs(n - 1) < 1e-5);
  // truncated normal std 0.02 in 64 dims: |w_j| ~ 0.02 * 8 * 0.94 (truncation) ~ 0.15
  for (const n of [...columnNorms(normal), ...columnNorms(linear)]) t.true(n > 0.09 && n < 0.22, `norm ${n}`);
  // the unit columns are not all alike (a random direction per class)
  const w = unit.weight.arraySync() as number[][];
  t.not(w[0]![0], w[0]![1]);
  tf.dispose([...headVariables(unit), ...headVariables(normal), ...headVariables(linear)]);
});

test('a text head: class embeddings as initial cosine weights, frozen when asked, with a projection when widths differ', (t) => {
  const init = tf.tensor2d([
    [1, 0, 0],
    [0, 1, 0],
  ]);
  const frozen = createHead(3, { kind: 'cosine', classes: 2, init, frozen: true }, 0);
  t.deepEqual(headVariables(frozen).length, 1);
  t.deepEqual(headTrainables(frozen), []);
  const logits = applyHead(frozen, tf.tensor2d([[2, 0, 0]]));
  t.deepEqual(Array.from(logits.dataSync()), [1, 0]);
  const projected = createHead(4, { kind: 'cosine', classes: 2, init, projection: { width: 3 } }, 0);
  t.deepEqual(projected.projection?.shape, [4, 3]);
  t.is(headTrainables(projected).length, 2);
  t.deepEqual(applyHead(projected, tf.ones([5, 4])).shape, [5, 2]);
  t.throws(() => createHead(4, { kind: 'cosine', classes: 2, init }, 0), {
    message: /init must be \[2, 4\], got \[2, 3\]/,
  });
  tf.dispose([init, logits, ...headVariables(frozen), ...headVariables(projected)]);
});

test("a text head on the backbone's own projection: a copy, frozen unless asked, that maps the feature first", (t) => {
  const before = tf.memory().numTensors;
  const init = tf.tensor2d([
    [1, 0],
    [0, 1],
  ]);
  const own = tf.tensor2d([
    [0, 1],
    [1, 0],
    [0, 0],
  ]); // [D = 3, E = 2]: swaps the first two features, drops the third
  const frozen = createHead(
    3,
    { kind: 'cosine', classes: 2, init, projection: { width: 2, init: own, frozen: true } },
    0,
  );
  const tuned = createHead(3, { kind: 'cosine', classes: 2, init, projection: { width: 2, init: own } }, 0);
  t.deepEqual(headTrainables(frozen), [frozen.weight], 'the projection is not trained');
  t.deepEqual(headTrainables(tuned), [tuned.weight, tuned.projection]);
  t.not(frozen.projection, own, 'the head owns a copy');
  const logits = tf.tidy(() => applyHead(frozen, tf.tensor2d([[0, 3, 5]])));
  t.deepEqual(Array.from(logits.dataSync()), [1, 0], 'feature (0, 3, 5) projects to (3, 0): class 0');
  t.throws(() => createHead(4, { kind: 'cosine', classes: 2, init, projection: { width: 2, init: own } }, 0), {
    message: /the projection's init must be \[4, 2\], got \[3, 2\]/,
  });
  tf.dispose([init, own, logits, ...headVariables(frozen), ...headVariables(tuned)]);
  t.is(tf.memory().numTensors, before);
});
