/**
 * The native addon's fused kernels, registered for the wasm backend under this project's own
 * kernel names (tfjs dispatches any registered name through engine.runKernel): LptAttention(Grad),
 * LptLayerNorm(Grad), LptGelu(Grad), LptBlock (a whole transformer block without a gradient),
 * and LptBlockTrain with LptBlockGrad (the block's forward keeping what its input gradient needs,
 * and that gradient). They read and write the wasm heap in place. The model uses them through
 * custom gradients (../fused_ops.ts, ../block_grad.ts) when `hasKernel` says they exist for the
 * active backend; otherwise it keeps to tfjs ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './native_addon.ts';
import { heapOffset, type WasmHeapBackend } from './native_matmul.ts';

export const KERNELS = {
  attention: 'LptAttention',
  attentionGrad: 'LptAttentionGrad',
  layerNorm: 'LptLayerNorm',
  layerNormGrad: 'LptLayerNormGrad',
  gelu: 'LptGelu',
  geluGrad: 'LptGeluGrad',
  block: 'LptBlock',
  blockTrain: 'LptBlockTrain',
  blockGrad: 'LptBlockGrad',
} as const;

/** The inputs of LptBlock besides x and extra, in the addon's argument order; biases may be absent. */
export const BLOCK_WEIGHTS = [
  'ln1W',
  'ln1B',
  'qkvW',
  'qkvB',
  'projW',
  'projB',
  'ln2W',
  'ln2B',
  'fc1W',
  'fc1B',
  'fc2W',
  'fc2B',
] as const;

type TensorInfo = tf.TensorInfo;
type Args = Parameters<tf.KernelFunc>[0];

export function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

function register(
  name: string,
  run: (inputs: tf.NamedTensorInfoMap, backend: WasmHeapBackend, attrs: tf.NamedAttrMap) => TensorInfo | TensorInfo[],
): void {
  if (tf.getKernel(name, 'wasm') !== undefined) return;
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: (({ inputs, backend, attrs }: Args) =>
      run(inputs, backend as unknown as WasmHeapBackend, attrs ?? {})) as tf.KernelFunc,
  });
}

const heap = (backend: WasmHeapBackend) => backend.wasm.HEAPU8.buffer as ArrayBuffer;

export function registerNativeKernels(addon: NativeAddon): void {
  register(KERNELS.gelu, ({ x }, backend) => {
    const y = backend.makeOutput([...x!.shape], 'float32');
    addon.gelu!(heap(backend), util.sizeFromShape(x!.shape), heapOffset(backend, x!), heapOffset(backend, y));
    return y;
  });
  register(KERNELS.geluGrad, ({ dy, x }, backend) => {
    const dx = backend.makeOutput([...x!.shape], 'float32');
    addon.geluGrad!(
      heap(backend),
      util.sizeFromShape(x!.shape),
      heapOffset(backend, dy!),
      heapOffset(backend, x!),
      heapOffset(backend, dx),
    );
    return dx;
  });
  register(KERNELS.layerNorm, ({ x, weight, bias }, backend, attrs) => {
    const cols = x!.shape[x!.shape.length - 1]!;
    const rows = util.sizeFromShape(x!.shape) / cols;
    const y = backend.makeOutput([...x!.shape], 'float32');
    const mean = backend.makeOutput([rows], 'float32');
    const rstd = backend.makeOutput([rows], 'float32');
    const o = (t: TensorInfo) => heapOffset(backend, t);
    addon.layerNorm!(
      heap(backend),
      rows,
      cols,
      o(x!),
      o(weight!),
      o(bias!),
      attrs.eps as number,
      o(y),
      o(mean),
      o(rstd),
    );
    return [y, mean, rstd];
  });
  register(KERNELS.layerNormGrad, ({ dy, x, weight, mean, rstd }, backend) => {
    const cols = x!.shape[x!.shape.length - 1]!;
    const rows = util.sizeFromShape(x!.shape) / cols;
    const dx = backend.makeOutput([...x!.shape], 'float32');
    const o = (t: TensorInfo) => heapOffset(backend, t);
    addon.layerNormGrad!(heap(backend), rows, cols, o(dy!), o(x!), o(weight!), o(mean!), o(rstd!), o(dx));
    return dx;
  });
  register(KERNELS.attention, ({ qkv }, backend, attrs) => {
    const [batch, tokens, width] = qkv!.shape as [number, number, number];
    const heads = attrs.heads as number;
    const queries = attrs.queries as number;
    const headDim = width / 3 / heads;
    const out = backend.makeOutput([batch, queries, heads * headDim], 'float32');
    const probs = backend.makeOutput([batch, heads, queries, tokens], 'float32');
    const o = (t: TensorInfo) => heapOffset(backend, t);
    addon.attention!(
      heap(backend),
      batch,
      tokens,
      queries,
      heads,
      headDim,
      1 / Math.sqrt(headDim),
      o(qkv!),
      o(out),
      o(probs),
    );
    return [out, probs];
  });
  register(KERNELS.attentionGrad, ({ dy, qkv, probs }, backend, attrs) => {
    const [batch, tokens, width] = qkv!.shape as [number, number, number];
    const heads = attrs.heads as number;
    const queries = attrs.queries as number;
    const headDim = width / 3 / heads;
    const dqkv = backend.makeOutput([batch, tokens, width], 'float32');
    const o = (t: TensorInfo) => heapOffset(backend, t);
    addon.attentionGrad!(
      heap(backend),
      batch,
      tokens,
      queries,
      heads,
      headDim,
      1 / Math.sqrt(headDim),
      o(dy!),
      o(qkv!),
      o(probs!),
      o(dqkv),
    );
    return dqkv;
  });
  // An addon built before the block kernels existed lacks them: the model then keeps the per-op path.
  const { block, blockTrain, blockGrad } = addon;
  if (block === undefined || blockTrain === undefined || blockGrad === undefined) return;
  register(KERNELS.block, (inputs, backend, attrs) => {
    const out = backend.makeOutput(outputShape(inputs, attrs), 'float32');
    block.call(addon, heap(backend), ...blockArguments(inputs, backend, attrs), heapOffset(backend, out));
    return out;
  });
  register(KERNELS.blockTrain, (inputs, backend, attrs) => {
    const shapes = [outputShape(inputs, attrs), ...savedShapes(inputs, attrs)];
    const outputs = shapes.map((shape) => backend.makeOutput(shape, 'float32'));
    blockTrain.call(
      addon,
      heap(backend),
      ...blockArguments(inputs, backend, attrs),
      ...outputs.map((t) => heapOffset(backend, t)),
    );
    return outputs;
  });
  register(KERNELS.blockGrad, (inputs, backend, attrs) => {
    const { x, extra, dy } = inputs;
    const dx = attrs.frozenInput === true ? null : backend.makeOutput([...x!.shape], 'float32');
    const dExtra = extra === undefined ? null : backend.makeOutput([...extra.shape], 'float32');
    const o = (t: TensorInfo | null) => (t === null ? -1 : heapOffset(backend, t));
    const saved = SAVED.map((name) => o(inputs[name]!));
    blockGrad.call(addon, heap(backend), ...blockArguments(inputs, backend, attrs), ...saved, o(dy!), o(dx), o(dExtra));
    return [dx, dExtra].filter((t): t is TensorInfo => t !== null);
  });
}

/** What LptBlockTrain keeps for LptBlockGrad, in the addon's order (native/src/block.h LptBlockSaved). */
export const SAVED = ['qkv', 'probs', 'y', 'slope', 'mean1', 'rstd1', 'mean2', 'rstd2'] as const;

function blockShape(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap) {
  const [batch, tokens, dim] = inputs.x!.shape as [number, number, number];
  const extra = inputs.extra === undefined ? 0 : inputs.extra.shape[1]!;
  const hidden = inputs.fc1W!.shape[1]!;
  return { batch, tokens, extra, dim, hidden, queries: attrs.queries as number, heads: attrs.heads as number };
}

function outputShape(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): number[] {
  const { batch, queries, dim } = blockShape(inputs, attrs);
  return [batch, queries, dim];
}

/** The shapes of SAVED's tensors. */
function savedShapes(inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): number[][] {
  const { batch, tokens, extra, dim, hidden, queries, heads } = blockShape(inputs, attrs);
  const t = tokens + extra;
  const [rowsAll, rows] = [batch * t, batch * queries];
  return [
    [batch, t, 3 * dim],
    [batch, heads, queries, t],
    [batch, queries, dim],
    [batch, queries, hidden],
    [rowsAll],
    [rowsAll],
    [rows],
    [rows],
  ];
}

/** The arguments every block kernel of the addon starts with (native/src/bindings_kernels.inc block_args). */
function blockArguments(inputs: tf.NamedTensorInfoMap, backend: WasmHeapBackend, attrs: tf.NamedAttrMap): number[] {
  const { batch, tokens, extra, dim, hidden, queries, heads } = blockShape(inputs, attrs);
  const o = (t: TensorInfo | undefined) => (t === undefined ? -1 : heapOffset(backend, t));
  return [
    ...[batch, tokens, queries, extra, dim, hidden, heads],
    attrs.activation === 'quick_gelu' ? 1 : 0,
    ...[attrs.eps1 as number, attrs.eps2 as number],
    ...[o(inputs.x), o(inputs.extra)],
    ...BLOCK_WEIGHTS.map((name) => o(inputs[name])),
  ];
}
