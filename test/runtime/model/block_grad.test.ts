/**
 * The block's own gradient (runtime/model/block_grad.ts) against tfjs's gradient of the plain block: the same
 * value and the same gradients w.r.t. the tokens and the context tokens (the prompts), for every
 * attention core, LayerNorm and GELU kernel this backend has and the native block kernels where
 * they are built, both activations, with and without
 * context tokens and for all queries or the CLS token only; no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { block } from '../../../runtime/model/block.ts';
import { initVitRandom } from '../../../runtime/model/init.ts';
import { hasKernel, KERNELS } from '../../../runtime/model/kernels/native_kernels.ts';
import { type BlockParams, blockWithPaths } from '../../../runtime/model/params.ts';
import { type ModelPaths, PLAIN_PATHS } from '../../../runtime/model/speed.ts';
import { disposeVit } from '../../../runtime/model/vit.ts';
import { makeVitConfig } from '../../../runtime/model/vit_config.ts';
import { useTestBackend } from '../../helpers/backend.ts';

test.before(async () => {
  await useTestBackend();
});

/** The kernel choices this backend has: the fused ones only where the native kernels are registered. */
function kernelPaths(): Array<Pick<ModelPaths, 'attention' | 'layerNorm' | 'gelu' | 'block'>> {
  const plain = [
    { attention: 'batched', layerNorm: 'ops', gelu: 'ops', block: 'ops' },
    { attention: 'split', layerNorm: 'ops', gelu: 'ops', block: 'ops' },
  ] as const;
  const fused = hasKernel(KERNELS.attention) && hasKernel(KERNELS.layerNorm) && hasKernel(KERNELS.gelu);
  const perOp = { attention: 'fused', layerNorm: 'fused', gelu: 'fused', block: 'ops' } as const;
  // block 'fused': the whole block's forward and gradient are the native kernels LptBlockTrain and LptBlockGrad.
  const native = hasKernel(KERNELS.blockGrad) ? [{ ...perOp, block: 'fused' } as const] : [];
  return fused ? [...plain, perOp, ...native] : [...plain];
}

/** max |a - b|, read asynchronously (the webgpu backend reads nothing synchronously in Node). */
async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))));
  const [value] = await diff.data();
  diff.dispose();
  return value!;
}

/** Value and gradients (w.r.t. x and, when given, the context) of sum(block(x) * dy). */
function valueAndGrads(p: BlockParams, x: tf.Tensor, context: tf.Tensor | null, queries: number, dy: tf.Tensor) {
  const f = (...inputs: tf.Tensor[]) =>
    tf.sum(tf.mul(block(p, inputs[0]!, { context: inputs[1] ?? null, queries }), dy)) as tf.Scalar;
  return tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads(f)(context === null ? [x] : [x, context]);
    return [value, ...grads];
  });
}

for (const activation of ['gelu', 'quick_gelu'] as const) {
  for (const [extra, queries] of [
    [0, 5],
    [3, 5],
    [3, 1],
  ] as const) {
    test.serial(
      `the block's own gradient equals tfjs's (${activation}, ${extra} context tokens, outputs of ${queries} of 5 tokens)`,
      async (t) => {
        const vit = initVitRandom(
          makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: 24, depth: 1, heads: 3, activation }),
          41,
        );
        const x = tf.randomNormal([2, 5, 24], 0, 1, 'float32', 42);
        const context = extra === 0 ? null : tf.randomNormal([2, extra, 24], 0, 1, 'float32', 43);
        const dy = tf.randomNormal([2, queries, 24], 0, 1, 'float32', 44);
        for (const kernels of kernelPaths()) {
          const paths: ModelPaths = { ...PLAIN_PATHS, ...kernels };
          const n0 = tf.memory().numTensors;
          const saved = valueAndGrads(
            blockWithPaths(vit.blocks[0]!, { ...paths, blockGrad: 'saved' }),
            x,
            context,
            queries,
            dy,
          );
          const autodiff = valueAndGrads(blockWithPaths(vit.blocks[0]!, paths), x, context, queries, dy);
          t.is(saved.length, autodiff.length);
          for (const [i, s] of saved.entries()) {
            const diff = await maxAbsDiff(s, autodiff[i]!);
            t.true(
              diff < 1e-5,
              `${kernels.attention} attention, ${kernels.layerNorm} LayerNorm, ${kernels.block} block: ${['value', 'dx', 'dcontext'][i]} differs by ${diff}`,
            );
          }
          tf.dispose([...saved, ...autodiff]);
          t.is(tf.memory().numTensors, n0, 'no tensor left behind');
        }
        tf.dispose([x, dy, ...(context === null ? [] : [context])]);
        disposeVit(vit);
      },
    );
  }
}

for (const queries of [5, 1]) {
  test.serial(
    `a frozen input: the context's gradient alone, equal to the full gradient's (outputs of ${queries} of 5 tokens)`,
    async (t) => {
      const vit = initVitRandom(
        makeVitConfig({ imageSize: 8, patchSize: 4, channels: 1, dim: 24, depth: 1, heads: 3 }),
        51,
      );
      const x = tf.randomNormal([2, 5, 24], 0, 1, 'float32', 52);
      const context = tf.randomNormal([2, 3, 24], 0, 1, 'float32', 53);
      const dy = tf.randomNormal([2, queries, 24], 0, 1, 'float32', 54);
      for (const kernels of kernelPaths()) {
        const p = blockWithPaths(vit.blocks[0]!, { ...PLAIN_PATHS, ...kernels, blockGrad: 'saved' });
        const n0 = tf.memory().numTensors;
        const frozen = tf.tidy(() => {
          const f = (c: tf.Tensor) =>
            tf.sum(tf.mul(block(p, x, { context: c, queries, frozenInput: true }), dy)) as tf.Scalar;
          const { value, grad } = tf.valueAndGrad(f)(context);
          return [value, grad];
        });
        const full = valueAndGrads(p, x, context, queries, dy);
        for (const [name, a, b] of [
          ['value', frozen[0]!, full[0]!],
          ['dcontext', frozen[1]!, full[2]!],
        ] as const) {
          const diff = await maxAbsDiff(a, b);
          t.true(diff < 1e-6, `${kernels.attention} attention, ${kernels.block} block: ${name} differs by ${diff}`);
        }
        tf.dispose([...frozen, ...full]);
        t.is(tf.memory().numTensors, n0, 'no tensor left behind');
      }
      tf.dispose([x, context, dy]);
      disposeVit(vit);
    },
  );
}
