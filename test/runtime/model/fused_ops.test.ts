import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { fusedAttention, fusedGelu, fusedLayerNorm } from '../../../runtime/model/fused_ops.ts';
import { splitAttention } from '../../../runtime/model/attention_split.ts';
import { hasKernel, KERNELS } from '../../../runtime/model/kernels/native_kernels.ts';
import { gelu } from '../../../runtime/model/mlp.ts';
import { frozenLayerNorm, layerNorm } from '../../../runtime/model/layer_norm.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { maxAbsDiff } from '../../helpers/fixtures.ts';
import { nativeTest } from '../../helpers/native.ts';

let native = false;
test.before(async () => {
  await useTestBackend();
  native = hasKernel(KERNELS.layerNorm) && hasKernel(KERNELS.gelu) && hasKernel(KERNELS.attention);
});

/** Value and input gradient of f and g at x against the cotangent dy. */
function compare(f: (x: tf.Tensor) => tf.Tensor, g: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, dy: tf.Tensor) {
  return tf.tidy(() => ({
    value: maxAbsDiff(f(x), g(x)),
    grad: maxAbsDiff(
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), dy)))(x),
      tf.grad((v: tf.Tensor) => tf.sum(tf.mul(g(v), dy)))(x),
    ),
  }));
}

nativeTest('fused LayerNorm equals the tfjs-ops LayerNorm, value and input gradient', (t) => {
  t.true(native, 'the built addon registers its fused kernels on the wasm backend');
  const n0 = tf.memory().numTensors;
  const [w, b] = [tf.randomNormal([24], 1, 0.2, 'float32', 3), tf.randomNormal([24], 0, 0.1, 'float32', 4)];
  const p = frozenLayerNorm(w, b, 1e-6, 'ops');
  tf.dispose([w, b]);
  const x = tf.randomNormal([3, 5, 24], 2, 3, 'float32', 5);
  const dy = tf.randomNormal([3, 5, 24], 0, 1, 'float32', 6);
  const d = compare(
    (v) => fusedLayerNorm(v, p.weight, p.bias, p.eps),
    (v) => layerNorm(p, v),
    x,
    dy,
  );
  t.true(d.value < 1e-5, `value ${d.value}`);
  t.true(d.grad < 1e-5, `grad ${d.grad}`);
  tf.dispose([x, dy, p.weight, p.bias]);
  t.is(tf.memory().numTensors, n0);
});

nativeTest('fused GELU equals the tfjs-ops GELU, value and input gradient, over a wide range', (t) => {
  t.true(native, 'the built addon registers its fused kernels on the wasm backend');
  const x = tf.mul(tf.linspace(-9, 9, 4001), 1);
  const dy = tf.randomNormal([4001], 0, 1, 'float32', 7);
  const d = compare(fusedGelu, gelu, x, dy);
  t.true(d.value < 1e-5, `value ${d.value}`);
  t.true(d.grad < 1e-5, `grad ${d.grad}`);
  tf.dispose([x, dy]);
});

for (const queries of [7, 4, 1]) {
  nativeTest(
    `fused attention equals the split (2-D matMul) attention, value and input gradient (${queries} of 7 tokens query)`,
    (t) => {
      t.true(native, 'the built addon registers its fused kernels on the wasm backend');
      const qkv = tf.randomNormal([3, 7, 3 * 2 * 4], 0, 1, 'float32', 8);
      const dy = tf.randomNormal([3, queries, 2 * 4], 0, 1, 'float32', 9);
      const d = compare(
        (v) => fusedAttention(v, 2, queries),
        (v) => splitAttention(v, 2, queries),
        qkv,
        dy,
      );
      t.true(d.value < 1e-5, `value ${d.value}`);
      t.true(d.grad < 1e-5, `grad ${d.grad}`);
      tf.dispose([qkv, dy]);
    },
  );
}
