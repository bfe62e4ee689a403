/**
 * Every speed lever computes the same losses and gradients as the plain implementation
 * (batched attention, tfjs-ops LayerNorm and GELU, tfjs's copying kernels, the wasm matMul),
 * on a toy LPT model with shared prompt, pool, adapters and a cosine head, for a phase-1 and a
 * phase-2 step of the runtime's own training step (runtime/train/step.ts): its losses, and its
 * SGD update (lr x gradient) of every trainable variable from the same start. The default
 * (fastest) path does not grow the tensor count across steps.
 */
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import type { PlanLossTerm } from '../../../plan/plan.ts';
import { createAdapters } from '../../../runtime/model/adapter.ts';
import { createHead } from '../../../runtime/model/head.ts';
import { initVitRandom } from '../../../runtime/model/init.ts';
import { resolveModelPaths } from '../../../runtime/model/kernels/paths.ts';
import {
  disposeLptModel,
  forwardPrefix,
  forwardPrompted,
  forwardQuery,
  type LptModel,
  type ModuleName,
  promptedFromPrefix,
  queryFromPrefix,
  sharedPrefixBlocks,
  trainableVariables,
} from '../../../runtime/model/lpt_model.ts';
import { createPromptPool } from '../../../runtime/model/prompt_pool.ts';
import { createSharedPrompt } from '../../../runtime/model/prompt.ts';
import { COMPUTE_QUERIES } from '../../../runtime/model/query.ts';
import { DEFAULT_SPEED, PLAIN_PATHS, PLAIN_SPEED, type SpeedSettings } from '../../../runtime/model/speed.ts';
import { withPaths } from '../../../runtime/model/vit.ts';
import { makeVitConfig } from '../../../runtime/model/vit_config.ts';
import { stepLossTerms } from '../../../runtime/build/loss_terms.ts';
import { createSgd } from '../../../runtime/train/optim.ts';
import { createTrainStep, type StreamBatch } from '../../../runtime/train/step.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { withKernelSettings } from '../../helpers/kernels.ts';

const D = 16;
const DEPTH = 3;

function toyModel(): LptModel {
  const backbone = initVitRandom(
    makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: D, depth: DEPTH, heads: 2 }),
    21,
  );
  return {
    backbone,
    shared: createSharedPrompt(D, DEPTH, { length: 3, layers: [0, 1, 2] }, 22),
    pool: createPromptPool(D, DEPTH, { size: 5, length: 2, layers: [1, 2], topK: 2, combine: 'mean' }, 23),
    adapters: createAdapters(D, DEPTH, { bottleneck: 4, scale: 0.1, layers: [0, 2] }, 24),
    head: createHead(D, { kind: 'cosine', classes: 3 }, 25),
  };
}

const LR = 0.5;
const LOSS: readonly PlanLossTerm[] = [
  { loss: 'ce', weight: { scale: 1, linear: [] }, args: {}, batch: 'ib' },
  { loss: 'matching', weight: { scale: -0.5, linear: [] }, args: {}, batch: 'ib' },
];

interface StepResult {
  readonly loss: number;
  /** Per trainable variable: its change in one plain SGD step, -LR x gradient. */
  readonly updates: Map<string, Float32Array>;
}

/** One training step with the given levers; every trainable variable is put back afterwards. */
async function step(settings: SpeedSettings, modules: readonly ModuleName[], withPool: boolean): Promise<StepResult> {
  const m: LptModel = {
    ...model,
    backbone: withPaths(model.backbone, resolveModelPaths(settings)),
    pool: withPool ? model.pool : null,
  };
  const vars = trainableVariables(m, modules);
  const before = vars.map((v) => v.dataSync().slice() as Float32Array);
  const terms = stepLossTerms(withPool ? LOSS : LOSS.slice(0, 1), 20, [1, 1, 1], 1);
  const optimizer = createSgd(vars);
  const run = createTrainStep({ model: m, trainable: vars, optimizer, terms, queries: COMPUTE_QUERIES });
  const losses = await withKernelSettings(settings, () =>
    run(new Map([['ib', batch]]), { seed: 0, phase: 'p', epoch: 0, step: 0 }, LR),
  );
  const updates = new Map(
    vars.map((v, i) => {
      const after = v.dataSync() as Float32Array;
      v.assign(tf.tensor(before[i]!, v.shape));
      return [`${modules.join('+')}#${i}`, after.map((x, j) => x - before[i]![j]!)];
    }),
  );
  optimizer.dispose();
  return { loss: losses.total!, updates };
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
let batch: StreamBatch;

test.before(async () => {
  await useTestBackend();
  model = toyModel();
  batch = {
    x: tf.randomNormal([4, 1, 8, 8], 0, 1, 'float32', 26),
    labels: Int32Array.from([0, 2, 1, 2]),
    indices: Int32Array.from([0, 1, 2, 3]),
  };
});

test.after.always(() => {
  disposeLptModel(model);
  batch.x.dispose();
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
  ['the shared prefix computed once for both passes', { prefix: 'reuse' }],
  ['the one-kernel block where no gradient is recorded (the query pass)', { block: 'fused' }],
  [
    'the one-kernel block with the shared prefix and trimmed prompts',
    { block: 'fused', prefix: 'reuse', prompts: 'trim' },
  ],
  ['only the CLS token computed in the last block', { lastBlock: 'cls' }],
  [
    'only the CLS token in the last block, as one kernel where no gradient is recorded',
    { lastBlock: 'cls', block: 'fused' },
  ],
  ['the default: every lever on auto', {}],
];

for (const [phase, modules, withPool] of [
  ['phase 1', ['shared', 'adapters', 'head'], false],
  ['phase 2', ['pool', 'keys', 'head'], true],
] as const) {
  for (const [name, lever] of variants) {
    test.serial(`${phase}: ${name} gives the plain path's loss and updates within 1e-5`, async (t) => {
      const plain = await step(PLAIN_SPEED, modules, withPool);
      const fast = await step(
        name.startsWith('the default') ? DEFAULT_SPEED : { ...PLAIN_SPEED, ...lever },
        modules,
        withPool,
      );
      t.true(
        Math.abs(fast.loss - plain.loss) < 1e-5 * Math.max(1, Math.abs(plain.loss)),
        `loss ${fast.loss} vs ${plain.loss}`,
      );
      t.deepEqual([...fast.updates.keys()].sort(), [...plain.updates.keys()].sort());
      // (An adapter's down projection gets no gradient while its up projection is still zero.)
      t.true(
        [...plain.updates.values()].filter((u) => u.some((v) => v !== 0)).length >= 2,
        'at least two variables moved',
      );
      for (const [key, u] of plain.updates) {
        t.true(relDiff(fast.updates.get(key)!, u) < 1e-5, `${key}: ${relDiff(fast.updates.get(key)!, u)}`);
      }
    });
  }
}

test.serial('the default path: training steps with updates do not grow the tensor count', async (t) => {
  const vars = trainableVariables(model, ['pool', 'keys', 'head']);
  const optimizer = createSgd(vars, { momentum: 0.9 });
  const run = createTrainStep({
    model,
    trainable: vars,
    optimizer,
    terms: stepLossTerms(LOSS, 20, [1, 1, 1], 1),
    queries: COMPUTE_QUERIES,
  });
  const once = (s: number) => run(new Map([['ib', batch]]), { seed: 0, phase: 'p', epoch: 0, step: s }, 0.01);
  await once(0);
  const n0 = tf.memory().numTensors;
  await once(1);
  await once(2);
  t.is(tf.memory().numTensors, n0);
  optimizer.dispose();
});

// Per-op blocks compute the same ops in both forms (1e-6); the one-kernel block sums in another order.
for (const [name, paths, tolerance] of [
  ['per-op blocks', { ...PLAIN_PATHS, prefix: 'reuse' }, 1e-6],
  [
    'one-kernel blocks where the addon has them',
    { ...resolveModelPaths({ ...PLAIN_SPEED, block: 'fused' }), prefix: 'reuse' },
    1e-5,
  ],
] as const) {
  test.serial(
    `the shared prefix (${name}): query and prompted features from one prefix equal the two full plain passes`,
    (t) => {
      const m: LptModel = { ...model, backbone: withPaths(model.backbone, paths) };
      const plain: LptModel = { ...model, backbone: withPaths(model.backbone, PLAIN_PATHS) };
      t.is(sharedPrefixBlocks(m), 1, 'the pool starts at block 1');
      t.is(sharedPrefixBlocks(plain), 0, "'recompute' shares nothing");
      const [full, reused] = tf.tidy(() => {
        const q = forwardQuery(plain, batch.x);
        const prefix = forwardPrefix(m, batch.x, 1);
        const q2 = queryFromPrefix(m, prefix);
        return [
          tf.concat([q, forwardPrompted(plain, batch.x, q).features], 1),
          tf.concat([q2, promptedFromPrefix(m, prefix, q2).features], 1),
        ];
      });
      t.true(
        relDiff(reused!.dataSync(), full!.dataSync()) < tolerance,
        `${relDiff(reused!.dataSync(), full!.dataSync())}`,
      );
      tf.dispose([full!, reused!]);
    },
  );
}
