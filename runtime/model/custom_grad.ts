/**
 * A typed wrapper around tf.customGrad for one-input functions (tfjs-core does not export the
 * CustomGradientFunc type). Used where tfjs's own gradient would take a slow path on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';

type CustomGradArg = Parameters<typeof tf.customGrad>[0];

/** forward(x) with gradient backward(dy, inputShape) w.r.t. x. */
export function withGradient<R extends tf.Tensor>(
  forward: (x: tf.Tensor) => R,
  backward: (dy: R, inputShape: readonly number[]) => tf.Tensor,
): (x: tf.Tensor) => R {
  const f = tf.customGrad(((...args: unknown[]) => {
    const x = args[0] as tf.Tensor;
    const shape = x.shape;
    return { value: forward(x), gradFunc: (dy: tf.Tensor) => backward(dy as R, shape) };
  }) as CustomGradArg);
  return (x: tf.Tensor) => f(x) as R;
}
