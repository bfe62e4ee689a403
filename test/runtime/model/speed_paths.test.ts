/**
 * Every speed lever computes the same losses and gradients as the plain implementation
 * (batched attention, tfjs-ops LayerNorm and GELU, tfjs's copying kernels, the wasm matMul),
 * on a toy LPT model with shared prompt, pool, adapters and a cosine head, for a phase-1 and a
 * phase-2 step; and the default (fastest) path does not grow the tensor count across steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { createAdapters } from '../../../runtime/model/adapter.ts';
import { applyHead, createHead } from '../../../runtime/model/head.ts';
import { initVitRandom } from '../../../runtime/model/init.ts';
import { effectivePaths } from '../../../runtime/model/kernels/paths.ts';
import { disposeLptModel, forwardPrompted, forwardQuery, type LptModel, type ModuleName, trainableVariables } from '../../../runtime/model/lpt_model.ts';
import { createPromptPool } from '../../../runtime/model/prompt_pool.ts';
import { createSharedPrompt } from '../../../runtime/model/prompt.ts';
import { PLAIN_SPEED, type SpeedSettings, withSpeedSettings } from '../../../runtime/model/speed.ts';
import { makeVitConfig } from '../../../runtime/model/vit_config.ts';
import { createSgd } from '../../../runtime/train/optim.ts';
import { crossEntropy } from '../../../runtime/train/losses/cross_entropy.ts';
import { useTestBackend } from '../../helpers/backend.ts';

const D = 16;
const DEPTH = 3;

function toyModel(): LptModel {
  const backbone = initVitRandom(makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: D, depth: DEPTH, heads: 2 }), 21);
  return {
    backbone,
    shared: createSharedPrompt(D, DEPTH, { length: 3, layers: [0, 1, 2] }, 22),
    pool: createPromptPool(D, DEPTH, { size: 5, length: 2, layers: [1, 2], topK: 2, combine: 'mean' }, 23),
    adapters: createAdapters(D, DEPTH, { bottleneck: 4, scale: 0.1, layers: [0, 2] }, 24),
    head: createHead(D, { kind: 'cosine', classes: 3 }, 25),
  };
}

const PLAIN: SpeedSettings = PLAIN_SPEED;

interface StepResult {
  readonly loss: number;
  readonly query: Float32Array;
  readonly grads: Map<string, Float32Array>;
}

/** One phase step's loss and gradients, as the phase executor computes them (no update). */
function step(model: LptModel, x: tf.Tensor, labels: tf.Tensor1D, modules: readonly ModuleName[], withPool: boolean): StepResult {
  const m = withPool ? model : { ...model, pool: null };
  const vars = trainableVariables(m, modules);
  const query = withPool ? tf.tidy(() => forwardQuery(m, x)) : tf.zeros([1, 1]);
  const { value, grads } = tf.variableGrads(() => {
    const { features, selection } = forwardPrompted(m, x, withPool ? query : null);
    const ce = crossEntropy(applyHead(m.head!, features, true), labels, { scale: 20 });
    return selection === null ? ce : (tf.sub(ce, tf.mul(tf.mean(tf.sum(selection.selectedSimilarity, 1)), 0.5)) as tf.Scalar);
  }, vars);
  const names = new Map(vars.map((v, i) => [v.name, `${modules.join('+')}#${i}`]));
  const result = {
    loss: value.dataSync()[0]!,
    query: query.dataSync() as Float32Array,
    grads: new Map(Object.entries(grads).map(([name, g]) => [names.get(name)!, g.dataSync() as Float32Array])),
  };
  tf.dispose([value, query, ...Object.values(grads)]);
  return result;
}

/** Largest difference relative to the largest magnitude (1 when the shapes differ). */
function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 1;
  let diff = 0;
  let scale = 1e-3;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(a[i]!));
  }
  return Number.isNaN(diff) ? 1 : diff / scale;
}

let model: LptModel;
let x: tf.Tensor;
let labels: tf.Tensor1D;

test.before(async () => {
  await useTestBackend();
  model = toyModel();
  x = tf.randomNormal([4, 1, 8, 8], 0, 1, 'float32', 26);
  labels = tf.tensor1d([0, 2, 1, 2], 'int32');
});

test.after.always(() => {
  disposeLptModel(model);
  tf.dispose([x, labels]);
});

const variants: Array<[string, Partial<SpeedSettings>]> = [
  ['split attention', { attention: 'split' }],
  ['fused attention (split where the addon is absent)', { attention: 'fused' }],
  ['fused LayerNorm', { layerNorm: 'fused' }],
  ['fused GELU', { gelu: 'fused' }],
  ['lean copies', { copies: 'lean' }],
  ['native matMul', { matmul: 'native' }],
  ['trimmed prompt outputs', { prompts: 'trim' }],
  ['trimmed prompt outputs with split attention', { prompts: 'trim', attention: 'split' }],
  ['trimmed prompt outputs with fused attention', { prompts: 'trim', attention: 'fused' }],
  ['the default: every lever on auto', {}],
];

for (const [phase, modules, withPool] of [
  ['phase 1', ['shared', 'adapters', 'head'], false],
  ['phase 2', ['pool', 'keys', 'head'], true],
] as const) {
  for (const [name, lever] of variants) {
    test.serial(`${phase}: ${name} gives the plain path's loss, query and gradients within 1e-5`, (t) => {
      const plain = withSpeedSettings(PLAIN, () => step(model, x, labels, modules, withPool));
      const settings = name.startsWith('the default') ? {} : { ...PLAIN, ...lever };
      const fast = withSpeedSettings(settings, () => step(model, x, labels, modules, withPool));
      t.true(Math.abs(fast.loss - plain.loss) < 1e-5 * Math.max(1, Math.abs(plain.loss)), `loss ${fast.loss} vs ${plain.loss}`);
      t.true(relDiff(fast.query, plain.query) < 1e-5);
      t.deepEqual([...fast.grads.keys()].sort(), [...plain.grads.keys()].sort());
      t.true(plain.grads.size >= 2);
      for (const [key, g] of plain.grads) t.true(relDiff(fast.grads.get(key)!, g) < 1e-5, `${key}: ${relDiff(fast.grads.get(key)!, g)}`);
    });
  }
}

test.serial('the default path: training steps with updates do not grow the tensor count', (t) => {
  const vars = trainableVariables(model, ['pool', 'keys', 'head']);
  const optimizer = createSgd(vars, { momentum: 0.9 });
  const once = () => {
    const query = tf.tidy(() => forwardQuery(model, x));
    const { value, grads } = tf.variableGrads(() => {
      const { features } = forwardPrompted(model, x, query);
      return crossEntropy(applyHead(model.head!, features, true), labels, { scale: 20 });
    }, vars);
    optimizer.apply(grads, 0.01);
    tf.dispose([value, query, ...Object.values(grads)]);
  };
  once();
  const n0 = tf.memory().numTensors;
  once();
  once();
  t.is(tf.memory().numTensors, n0);
  t.is(typeof effectivePaths().attention, 'string');
  optimizer.dispose();
});
