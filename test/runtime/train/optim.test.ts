/**
 * SGD and AdamW against torch.optim on a tiny separable quadratic (test/fixtures/losses/optim.json):
 * parameters after each of six steps with a changing learning rate, plus state round-trips
 * (a resumed optimizer continues exactly) and the leak check.
 */
import { readFileSync } from 'node:fs';
import test from 'ava';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { ensureGradients } from '../../../runtime/backend/gradients.ts';
import { type Optimizer, createAdamW, createSgd } from '../../../runtime/train/optim.ts';

type Named = Record<string, number[]>;
interface Fixture {
  readonly shapes: Record<string, number[]>;
  readonly init: Named;
  readonly curvature: Named;
  readonly linear: Named;
  readonly lrs: number[];
  readonly runs: { kind: 'sgd' | 'adamw'; options: Record<string, number | boolean>; params: Named[] }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/losses/optim.json', import.meta.url), 'utf8'),
) as Fixture;
const names = Object.keys(fixture.shapes);

test.before(async () => {
  await tf.setBackend('cpu');
  await ensureGradients();
});

let counter = 0;
function setup(kind: 'sgd' | 'adamw', options: Record<string, number | boolean>, tag = counter++) {
  const vars = names.map((n) =>
    tf.tidy(() => tf.variable(tf.tensor(fixture.init[n]!, fixture.shapes[n]!), true, `${n}_${tag}`)),
  );
  const consts = names.map(
    (n) =>
      [
        tf.tensor(fixture.curvature[n]!, fixture.shapes[n]!),
        tf.tensor(fixture.linear[n]!, fixture.shapes[n]!),
      ] as const,
  );
  const optimizer: Optimizer = kind === 'sgd' ? createSgd(vars, options) : createAdamW(vars, options);
  const step = (lr: number): void => {
    const { value, grads } = tf.variableGrads(
      () =>
        tf.addN(
          vars.map((v, i) =>
            tf.sum(tf.add(tf.mul(tf.mul(consts[i]![0], tf.square(v)), 0.5), tf.mul(consts[i]![1], v))),
          ),
        ) as tf.Scalar,
    );
    optimizer.apply(grads, lr);
    tf.dispose([value, ...Object.values(grads)]);
  };
  const dispose = (): void => {
    optimizer.dispose();
    tf.dispose([...vars, ...consts.flat()]);
  };
  return { vars, optimizer, step, dispose };
}

function largestDifference(vars: tf.Variable[], expected: Named): number {
  let worst = 0;
  vars.forEach((v, i) =>
    v.dataSync().forEach((x, j) => (worst = Math.max(worst, Math.abs(x - expected[names[i]!]![j]!)))),
  );
  return worst;
}

for (const [r, run] of fixture.runs.entries()) {
  test(`${run.kind} ${JSON.stringify(run.options)} follows torch.optim for ${fixture.lrs.length} steps`, (t) => {
    const before = tf.memory().numTensors;
    const { vars, step, dispose } = setup(run.kind, run.options);
    const afterSetup = tf.memory().numTensors;
    fixture.lrs.forEach((lr, s) => {
      step(lr);
      const worst = largestDifference(vars, run.params[s]!);
      t.true(worst < 1e-6, `run ${r} step ${s}: largest difference ${worst}`);
      // Slots appear on the first step (one or two per variable) and are replaced, not added, later.
      if (s > 0) t.is(tf.memory().numTensors, afterSetup + (run.kind === 'adamw' ? 4 : run.options.momentum ? 2 : 0));
    });
    dispose();
    t.is(tf.memory().numTensors, before);
  });
}

for (const run of [fixture.runs[0]!, fixture.runs[4]!]) {
  test(`${run.kind}: state saved after 3 steps and loaded into a fresh optimizer continues exactly`, (t) => {
    const tag = counter++;
    const a = setup(run.kind, run.options, tag);
    fixture.lrs.slice(0, 3).forEach((lr) => a.step(lr));
    // What a checkpoint holds: the parameters and the optimizer state, copied out.
    const params = a.vars.map((v) => v.dataSync().slice());
    const state = a.optimizer.getState();
    const saved = {
      step: state.step,
      slots: Object.fromEntries(Object.entries(state.slots).map(([k, v]) => [k, tf.clone(v)])),
    };
    a.dispose();
    const b = setup(run.kind, run.options, tag);
    b.vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(params[i]!, v.shape))));
    b.optimizer.setState(saved);
    tf.dispose(Object.values(saved.slots));
    fixture.lrs.slice(3).forEach((lr) => b.step(lr));
    t.true(largestDifference(b.vars, run.params[fixture.lrs.length - 1]!) < 1e-6);
    b.dispose();
  });
}

test('a negative or NaN learning rate is refused', (t) => {
  const { optimizer, dispose } = setup('sgd', {});
  t.throws(() => optimizer.apply({}, Number.NaN), { message: /learning rate/ });
  t.throws(() => optimizer.apply({}, -1), { message: /learning rate/ });
  dispose();
});
