/**
 * Every loss against PyTorch on fixed inputs (test/fixtures/losses/losses.json, written by
 * scripts/fixtures/make_loss_fixtures.py): value and gradient w.r.t. the logits within 1e-5,
 * with the GCL noise fixed, plus a leak check per loss.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ensureGradients } from '../../../runtime/backend/gradients.ts';
import {
  type LossSpec,
  asymmetricLoss,
  classificationLoss,
  cloudSizes,
  matchingTerm,
} from '../../../runtime/train/loss.ts';
import { topKIndices } from '../../../runtime/train/losses/matching.ts';
import { createRng } from '../../../runtime/train/rng.ts';

interface Case {
  readonly name: string;
  readonly kind: string;
  readonly options: Record<string, number>;
  readonly value: number;
  readonly grad: number[];
}
interface Fixture {
  readonly batch: number;
  readonly classes: number;
  readonly keys: number;
  readonly cosine: number[];
  readonly labels: number[];
  readonly counts: number[];
  readonly noise: number[];
  readonly similarities: number[];
  readonly cases: Case[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/losses/losses.json', import.meta.url), 'utf8'),
) as Fixture;
const TOLERANCE = 1e-5;

test.before(async () => {
  await tf.setBackend('cpu');
  await ensureGradients();
});

/** The loss of one fixture case as a function of its input tensor. */
function lossOf(c: Case, noise: tf.Tensor2D): (x: tf.Tensor2D) => tf.Scalar {
  const labels = Int32Array.from(fixture.labels);
  if (c.kind === 'matching') return (x) => matchingTerm(x, c.options);
  if (c.kind === 'asl') return (x) => asymmetricLoss(tf.mul(x, 10) as tf.Tensor2D, labels, c.options);
  const spec = { kind: c.kind, ...c.options } as LossSpec;
  return (x) => classificationLoss(spec, { logits: x, labels, counts: fixture.counts, noise: { noise } });
}

for (const c of fixture.cases) {
  test(`${c.name} matches PyTorch (value and gradient)`, (t) => {
    const rows = fixture.batch;
    const cols = c.kind === 'matching' ? fixture.keys : fixture.classes;
    const input = tf.tensor2d(c.kind === 'matching' ? fixture.similarities : fixture.cosine, [rows, cols]);
    const noise = tf.tensor2d(fixture.noise, [fixture.batch, fixture.classes]);
    const f = lossOf(c, noise);
    const before = tf.memory().numTensors;
    const { value, grad } = tf.valueAndGrad(f)(input);
    const got = value.dataSync()[0]!;
    const grads = grad.dataSync();
    tf.dispose([value, grad]);
    t.is(tf.memory().numTensors, before, 'no tensor leaks');
    t.true(Math.abs(got - c.value) <= TOLERANCE, `value ${got} vs torch ${c.value}`);
    let worst = 0;
    grads.forEach((g, i) => (worst = Math.max(worst, Math.abs(g - c.grad[i]!))));
    t.true(worst <= TOLERANCE, `largest gradient difference ${worst}`);
    tf.dispose([input, noise]);
  });
}

test('cloud sizes: 0 for the head, 1 for the rarest class, 0 everywhere when balanced', (t) => {
  const a = cloudSizes([500, 50, 5]);
  t.is(a[0], 0);
  t.is(a[2], 1);
  t.true(Math.abs(a[1]! - Math.log(10) / Math.log(100)) < 1e-6);
  t.deepEqual(Array.from(cloudSizes([7, 7, 7])), [0, 0, 0]);
});

test('GCL with noise drawn from an rng is reproducible for the same stream and differs for another', (t) => {
  const labels = Int32Array.from(fixture.labels);
  const x = tf.tensor2d(fixture.cosine, [fixture.batch, fixture.classes]);
  const value = (seed: number): number => {
    const loss = classificationLoss(
      { kind: 'gcl' },
      { logits: x, labels, counts: fixture.counts, noise: { rng: createRng(seed, 'gcl') } },
    );
    const v = loss.dataSync()[0]!;
    loss.dispose();
    return v;
  };
  const before = tf.memory().numTensors;
  t.is(value(1), value(1));
  t.not(value(1), value(2));
  t.is(tf.memory().numTensors, before);
  x.dispose();
});

test('GCL and A-GCL refuse to run without a noise source', (t) => {
  const x = tf.zeros([2, 3]) as tf.Tensor2D;
  t.throws(() => classificationLoss({ kind: 'agcl' }, { logits: x, labels: Int32Array.of(0, 1), counts: [3, 2, 1] }), {
    message: /noise/,
  });
  x.dispose();
});

test('mismatched labels and logits are reported', (t) => {
  const x = tf.zeros([2, 3]) as tf.Tensor2D;
  t.throws(() => classificationLoss({ kind: 'ce' }, { logits: x, labels: Int32Array.of(0), counts: [1, 1, 1] }), {
    message: /1 labels for 2 rows/,
  });
  x.dispose();
});

test('matching with the keys chosen by the caller equals matching with its own top-k', (t) => {
  const sims = tf.tensor2d(fixture.similarities, [fixture.batch, fixture.keys]);
  const selected = topKIndices(sims.dataSync(), fixture.batch, fixture.keys, 2);
  t.deepEqual(Array.from(topKIndices([0.1, 0.9, 0.5, 0.9], 1, 4, 2)), [1, 3]);
  const before = tf.memory().numTensors;
  const own = matchingTerm(sims, { topK: 2 });
  const given = matchingTerm(sims, { selected });
  t.is(given.dataSync()[0], own.dataSync()[0]);
  t.true(Math.abs(own.dataSync()[0]! - fixture.cases.find((c) => c.name === 'matching k2 w0.5')!.value) < 1e-6);
  tf.dispose([own, given]);
  t.is(tf.memory().numTensors, before);
  sims.dispose();
});
