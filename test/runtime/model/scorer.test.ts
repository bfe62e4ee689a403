/**
 * The MoE scorer against PyTorch (test/fixtures/model/scorer_*, written by
 * scripts/fixtures/make_scorer_fixtures.py): mixture probabilities, gate weights, the balanced
 * softmax loss on log q and its gradients (probabilities or log-probabilities mixed) w.r.t. every scorer weight; plus the untrained scorer
 * being the equal-weight average, and no tensor leak per step.
 */
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import {
  averageProbs,
  createScorer,
  mixture,
  type Scorer,
  type ScorerConfig,
  scorerParams,
  scorerVariables,
} from '../../../runtime/model/scorer.ts';
import { balancedSoftmaxLoss } from '../../../runtime/train/loss.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';
import { gradientsOf, modelFixture } from '../../helpers/model_fixtures.ts';

test.before(async () => {
  await useTestBackend();
});

const TOLERANCE = 1e-5;
const CASES = [
  'confidence_softmax',
  'feature_sigmoid_per_class',
  'three_softmax_per_class',
  'both_softmax_per_class',
  'logits_softmax',
  'logits_sigmoid_per_class',
];

function configOf(meta: Record<string, unknown>): ScorerConfig {
  const experts = meta.experts as number;
  const classes = meta.classes as number;
  const input = meta.input as ScorerConfig['input'];
  const featureDims = meta.feature_dims as number[];
  return {
    experts,
    classes,
    input,
    inputDims: featureDims.map((d) => (input === 'feature' ? 0 : classes) + (input === 'confidence' ? 0 : d)),
    hidden: meta.hidden as number,
    gate: meta.gate as ScorerConfig['gate'],
    weights: meta.weights as ScorerConfig['weights'],
    ...(meta.mix === undefined ? {} : { mix: meta.mix as ScorerConfig['mix'] }),
  };
}

for (const name of CASES) {
  test(`scorer ${name}: mixture, gates, balanced-softmax loss and gradients match PyTorch`, (t) => {
    const fx = modelFixture(`scorer_${name}`);
    const config = configOf(fx.meta);
    const scorer = createScorer(config, 0);
    const assign = (v: tf.Variable | null, key: string) => {
      if (v === null) return;
      const value = fx.tensor(`w.${key}`);
      v.assign(value);
      value.dispose();
    };
    assign(scorer.hiddenWeight, 'W1');
    assign(scorer.hiddenBias, 'b1');
    assign(scorer.outWeight, 'W2');
    assign(scorer.outBias, 'b2');
    const experts = config.experts;
    const probs = Array.from({ length: experts }, (_, e) => fx.tensor(`probs.${e}`) as tf.Tensor2D);
    const features = Array.from({ length: experts }, (_, e) => fx.tensor(`features.${e}`) as tf.Tensor2D);
    const labels = Int32Array.from(fx.values('labels'));
    const counts = fx.meta.counts as number[];
    const outputs = { probs, features };
    const result = mixture(scorer, outputs);
    t.true(maxAbsDiff(result.probs, fx.values('q')) < TOLERANCE, 'q');
    t.true(maxAbsDiff(result.alpha, fx.values('alpha')) < TOLERANCE, 'alpha');
    const loss = tf.tidy(() => balancedSoftmaxLoss(mixture(scorer, outputs).logits, labels, counts));
    t.true(Math.abs(loss.dataSync()[0]! - fx.values('loss')[0]!) < TOLERANCE, 'loss');
    const variables = scorerVariables(scorer);
    const grads = gradientsOf(() => balancedSoftmaxLoss(mixture(scorer, outputs).logits, labels, counts), variables);
    const keys = config.hidden > 0 ? ['W1', 'b1', 'W2', 'b2'] : ['W2', 'b2'];
    keys.forEach((key, i) => t.true(maxAbsDiff(grads[i]!, fx.values(`grad.${key}`)) < TOLERANCE, `grad ${key}`));
    t.is(
      variables.reduce((n, v) => n + v.size, 0),
      scorerParams(config),
    );
    tf.dispose([result.probs, result.logits, result.alpha, loss, ...probs, ...features, ...variables]);
  });
}

function toyScorer(gate: ScorerConfig['gate'], weights: ScorerConfig['weights']): Scorer {
  return createScorer({ experts: 2, classes: 4, input: 'confidence', inputDims: [4, 4], hidden: 5, gate, weights }, 3);
}

test('an untrained scorer is the equal-weight average, for every gate and weighting', (t) => {
  const probs = [
    tf.softmax(tf.randomNormal([3, 4], 0, 1, 'float32', 1)),
    tf.softmax(tf.randomNormal([3, 4], 0, 1, 'float32', 2)),
  ] as tf.Tensor2D[];
  const average = averageProbs(probs);
  for (const gate of ['softmax', 'sigmoid'] as const) {
    for (const weights of ['per_expert', 'per_class'] as const) {
      const scorer = toyScorer(gate, weights);
      const result = mixture(scorer, { probs });
      t.true(maxAbsDiff(result.probs, average) < 1e-6, `${gate} ${weights}`);
      tf.dispose([result.probs, result.logits, result.alpha, ...scorerVariables(scorer)]);
    }
  }
  tf.dispose([average, ...probs]);
});

test('a scorer training step leaks no tensors', (t) => {
  const scorer = toyScorer('softmax', 'per_expert');
  const probs = [
    tf.softmax(tf.randomNormal([3, 4], 0, 1, 'float32', 1)),
    tf.softmax(tf.randomNormal([3, 4], 0, 1, 'float32', 2)),
  ] as tf.Tensor2D[];
  const labels = Int32Array.from([0, 1, 3]);
  const step = () => {
    const { value, grads } = tf.variableGrads(
      () => balancedSoftmaxLoss(mixture(scorer, { probs }).logits, labels, [9, 3, 2, 1]),
      scorerVariables(scorer),
    );
    tf.dispose([value, ...Object.values(grads)]);
  };
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) step();
  t.is(tf.memory().numTensors, before);
  tf.dispose([...probs, ...scorerVariables(scorer)]);
});

test('a scorer refuses fewer than two experts and outputs of the wrong width', (t) => {
  t.throws(
    () =>
      createScorer(
        {
          experts: 1,
          classes: 4,
          input: 'confidence',
          inputDims: [4],
          hidden: 0,
          gate: 'softmax',
          weights: 'per_expert',
        },
        0,
      ),
    { message: /experts must be at least 2/ },
  );
  const scorer = toyScorer('softmax', 'per_expert');
  const wrong = [tf.zeros([2, 4]), tf.zeros([2, 3])] as tf.Tensor2D[];
  t.throws(() => mixture(scorer, { probs: wrong }), { message: /expert 1 gives width 3, expected 4/ });
  tf.dispose([...wrong, ...scorerVariables(scorer)]);
});
