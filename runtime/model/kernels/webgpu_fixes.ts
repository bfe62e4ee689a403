/**
 * A correction to tfjs-backend-webgpu 4.22, installed when the webgpu backend starts (install.ts).
 *
 * Its Cast kernel turns an int32 or bool tensor into float32 by relabelling the same GPU buffer,
 * which still holds 32-bit integers. Programs that read inputs through their getters convert
 * them, but TransposeProgram (used by 3-D and larger transposes, and inside Mean, Sum, ArgMax
 * and the like when they reduce a non-innermost axis) indexes the buffer directly: its WGSL then
 * fails to compile ("type mismatch ... expected 'f32', got 'i32'"), Dawn reports a validation
 * error, and the op silently yields garbage. LPT hits this with one-hot selections
 * (cast(oneHot(topk)) then mean over k). The replacement makes that cast write a real float
 * buffer, by multiplying with a float 1 (exact for integers below 2^24), and leaves every other
 * cast to the original kernel. The same program also fails for a genuine int32 or bool transpose
 * of rank 3 or more; that one goes through float32 (exact below 2^24) and back.
 */
import * as tf from '@tensorflow/tfjs-core';

interface WebGpuBackendLike {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
  disposeData(dataId: object): void;
}

const installed = new WeakSet<object>();

type KernelArgs = Parameters<tf.KernelFunc>[0];

export function installWebGpuFixes(): void {
  const backend = tf.findBackend('webgpu');
  if (backend === null || installed.has(backend)) return;
  installed.add(backend);
  const cast = tf.getKernel('Cast', 'webgpu');
  const multiply = tf.getKernel('Multiply', 'webgpu');
  const transpose = tf.getKernel('Transpose', 'webgpu');
  if (cast === undefined || multiply === undefined || transpose === undefined) return;

  const toFloat = (x: tf.TensorInfo, backend: KernelArgs['backend']): tf.TensorInfo => {
    const gpu = backend as unknown as WebGpuBackendLike;
    const one = gpu.makeTensorInfo([], 'float32', new Float32Array([1]));
    try {
      return multiply.kernelFunc({ inputs: { a: x, b: one }, backend, attrs: {} }) as tf.TensorInfo;
    } finally {
      gpu.disposeData(one.dataId);
    }
  };
  const isInteger = (x: tf.TensorInfo) => x.dtype === 'int32' || x.dtype === 'bool';

  replace(cast, (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const dtype = (args.attrs as { dtype: tf.DataType }).dtype;
    return dtype === 'float32' && isInteger(x) ? toFloat(x, args.backend) : cast.kernelFunc(args);
  });
  replace(transpose, (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (!isInteger(x) || x.shape.length < 3) return transpose.kernelFunc(args);
    const gpu = args.backend as unknown as WebGpuBackendLike;
    const asFloat = toFloat(x, args.backend);
    const moved = transpose.kernelFunc({ ...args, inputs: { x: asFloat } }) as tf.TensorInfo;
    try {
      return cast.kernelFunc({ inputs: { x: moved }, backend: args.backend, attrs: { dtype: x.dtype } });
    } finally {
      gpu.disposeData(asFloat.dataId);
      gpu.disposeData(moved.dataId);
    }
  });
}

function replace(original: tf.KernelConfig, kernelFunc: tf.KernelFunc): void {
  tf.unregisterKernel(original.kernelName, original.backendName);
  tf.registerKernel({ ...original, kernelFunc });
}
