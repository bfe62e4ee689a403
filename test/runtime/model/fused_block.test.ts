/**
 * The one-kernel transformer block (lever 'block', native/src/block.c): the per-op block's output
 * where no gradient is recorded, the per-op path (and its gradient) where one is; and the
 * backbone fixtures' PyTorch features through it.
 */
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { block } from '../../../runtime/model/block.ts';
import { initVitRandom } from '../../../runtime/model/init.ts';
import { hasKernel, KERNELS } from '../../../runtime/model/kernels/native_kernels.ts';
import { resolveModelPaths } from '../../../runtime/model/kernels/paths.ts';
import { type BlockParams, blockWithPaths } from '../../../runtime/model/params.ts';
import { DEFAULT_SPEED, type ModelPaths, PLAIN_PATHS } from '../../../runtime/model/speed.ts';
import { disposeVit, forwardFeatures, type Vit } from '../../../runtime/model/vit.ts';
import { makeVitConfig } from '../../../runtime/model/vit_config.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';
import { modelFixture, vitFromFixture } from '../../helpers/model_fixtures.ts';
import { nativeTest } from '../../helpers/native.ts';

/** Serial: tf.profile's kernel list is engine-wide, so no other test may run kernels meanwhile. */
const serialTest = (nativeTest as unknown) === test ? test.serial : nativeTest;

let fused: ModelPaths;
const OPS: ModelPaths = { ...PLAIN_PATHS, prompts: 'trim' };

test.before(async () => {
  await useTestBackend();
  fused = { ...OPS, block: resolveModelPaths({ ...DEFAULT_SPEED, block: 'fused' }).block };
});

/** The kernels f runs, by name. */
async function kernelsOf(f: () => tf.Tensor): Promise<string[]> {
  const info = await tf.profile(() => f());
  return info.kernels.map((k) => k.name);
}

function toyVit(activation: 'gelu' | 'quick_gelu', eps: number): Vit {
  return initVitRandom(
    makeVitConfig({
      imageSize: 8,
      patchSize: 4,
      channels: 1,
      dim: 24,
      depth: 1,
      heads: 3,
      activation,
      layerNormEps: eps,
    }),
    31,
  );
}

/** The block with some biases removed, as a layer built without them would be. */
function withoutBiases(p: BlockParams): BlockParams {
  return {
    ...p,
    attn: { ...p.attn, qkv: { ...p.attn.qkv, bias: null } },
    mlp: { ...p.mlp, fc2: { ...p.mlp.fc2, bias: null } },
  };
}

for (const [activation, eps] of [
  ['gelu', 1e-6],
  ['quick_gelu', 1e-5],
] as const) {
  for (const [extra, queries] of [
    [0, 5],
    [4, 5],
    [0, 1],
    [4, 2],
  ] as const) {
    for (const biases of [true, false]) {
      const name = `${activation}, ${extra} context tokens, outputs of ${queries} of 5 tokens, ${biases ? 'with' : 'without some'} biases`;
      serialTest(`one-kernel block equals the per-op block (${name})`, async (t) => {
        t.true(fused.block === 'fused' && hasKernel(KERNELS.block), 'the built addon registers LptBlock');
        const vit = toyVit(activation, eps);
        const p = biases ? vit.blocks[0]! : withoutBiases(vit.blocks[0]!);
        const x = tf.randomNormal([3, 5, 24], 0, 1, 'float32', 32);
        const ctx = extra === 0 ? null : tf.randomNormal([3, extra, 24], 0, 1, 'float32', 33);
        const run = (paths: ModelPaths) => block(blockWithPaths(p, paths), x, { context: ctx, queries });
        const n0 = tf.memory().numTensors;
        const [a, b] = [tf.tidy(() => run(OPS)), tf.tidy(() => run(fused))];
        t.deepEqual(b.shape, [3, queries, 24]);
        t.true(maxAbsDiff(a, b) < 1e-5, `max abs diff ${maxAbsDiff(a, b)}`);
        tf.dispose([a, b]);
        t.is(tf.memory().numTensors, n0, 'no tensor left behind');
        t.deepEqual(
          (await kernelsOf(() => run(fused))).filter((k) => k === KERNELS.block),
          [KERNELS.block],
        );
        t.false((await kernelsOf(() => run(OPS))).includes(KERNELS.block));
        tf.dispose([x, ...(ctx === null ? [] : [ctx])]);
        disposeVit(vit);
      });
    }
  }
}

serialTest('under a gradient the fused path runs per op and gives the per-op gradient', async (t) => {
  const vit = toyVit('gelu', 1e-6);
  const p = vit.blocks[0]!;
  const x = tf.randomNormal([2, 5, 24], 0, 1, 'float32', 34);
  const ctx = tf.randomNormal([2, 3, 24], 0, 1, 'float32', 35);
  const dy = tf.randomNormal([2, 5, 24], 0, 1, 'float32', 36);
  // The context tokens stand for trainable prompts: the gradient flows to them through the block.
  const gradOf = (paths: ModelPaths) =>
    tf.grad((c: tf.Tensor) => tf.sum(tf.mul(block(blockWithPaths(p, paths), x, { context: c }), dy)));
  const [a, b] = [gradOf(OPS)(ctx), gradOf(fused)(ctx)];
  t.true(maxAbsDiff(a, b) < 1e-5, `max abs diff ${maxAbsDiff(a, b)}`);
  t.false((await kernelsOf(() => gradOf(fused)(ctx))).includes(KERNELS.block));
  tf.dispose([a, b, x, ctx, dy]);
  disposeVit(vit);
});

for (const name of ['backbone', 'clip']) {
  serialTest(`the ${name} fixture's features match PyTorch through the one-kernel block`, async (t) => {
    const fx = modelFixture(name);
    const vit = vitFromFixture(fx, { paths: resolveModelPaths({ ...DEFAULT_SPEED, block: 'fused' }) });
    const x = fx.tensor('x');
    const f = tf.tidy(() => forwardFeatures(vit, x));
    t.true(maxAbsDiff(f, fx.values('features')) < 1e-4, `max abs diff ${maxAbsDiff(f, fx.values('features'))}`);
    const ran = (await kernelsOf(() => forwardFeatures(vit, x))).filter((k) => k === KERNELS.block);
    t.is(ran.length, vit.config.depth, 'every block ran as one kernel');
    tf.dispose([x, f]);
    disposeVit(vit);
  });
}
