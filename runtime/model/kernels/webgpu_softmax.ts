/**
 * A correction to tfjs-backend-webgpu 4.22's Softmax, installed with the other webgpu fixes.
 *
 * Its shader gives each row one workgroup and has no row bound: above 65,535 rows (the limit of
 * workgroups per dimension) the backend spreads the rows over a square or cube of workgroups, the
 * spare ones compute rows past the end, and their out-of-bounds writes (clamped by WebGPU's robust
 * buffer access) overwrite the last row. Attention reaches this from batch 28 at ViT-B/16 sizes
 * (28 x 12 heads x 197 query rows). The replacement runs the same program with its write guarded.
 * The reductions and ArgMin/ArgMax, the other programs with one workgroup per output, already
 * guard theirs (`outputIndex < uniforms.size`).
 */
import * as tf from '@tensorflow/tfjs-core';

interface WebGpuProgram {
  shaderKey: string;
  getUserCode(): string;
}
interface ProgramRunner {
  runWebGPUProgram(program: WebGpuProgram, ...rest: unknown[]): tf.TensorInfo;
}

const UNGUARDED_WRITE = 'setOutputAtCoords(row, col, value);';
const GUARDED_WRITE = `if (row < uniforms.outShape[0]) { ${UNGUARDED_WRITE} }`;

/** The Softmax program's shader with its output write bounded by the row count. */
export function boundSoftmaxRows(program: WebGpuProgram): void {
  const code = program.getUserCode();
  if (!code.includes(UNGUARDED_WRITE))
    throw new Error('tfjs-backend-webgpu changed its Softmax shader: review runtime/model/kernels/webgpu_softmax.ts');
  program.shaderKey = `${program.shaderKey}_rows_bounded`;
  program.getUserCode = () => code.replace(UNGUARDED_WRITE, GUARDED_WRITE);
}

export function installWebGpuSoftmax(): void {
  const softmax = tf.getKernel('Softmax', 'webgpu');
  if (softmax === undefined) return;
  tf.unregisterKernel('Softmax', 'webgpu');
  tf.registerKernel({
    ...softmax,
    kernelFunc: (args) => {
      // The program class is not exported: catch the kernel's one program on its way to the backend.
      const backend = args.backend as unknown as ProgramRunner;
      const run = backend.runWebGPUProgram;
      backend.runWebGPUProgram = (program, ...rest) => {
        boundSoftmaxRows(program);
        return run.call(backend, program, ...rest);
      };
      try {
        return softmax.kernelFunc(args);
      } finally {
        backend.runWebGPUProgram = run;
      }
    },
  });
}
