/**
 * The `npz` naming scheme: Google's original ViT checkpoints (vision_transformer / vit_jax and
 * big_vision .npz files), Flax names and layouts:
 *
 *   embedding/kernel [P, P, C, D] (HWIO)                      -> patch_embed.proj.weight [D, C, P, P]
 *   embedding/bias, cls [1, 1, D]                             -> patch_embed.proj.bias, cls_token
 *   Transformer/posembed_input/pos_embedding [1, 1 + G*G, D]  -> pos_embed
 *   Transformer/encoderblock_{i}/LayerNorm_0/scale|bias       -> blocks.{i}.norm1.weight|bias
 *     MultiHeadDotProductAttention_1/{query,key,value}/kernel [D, heads, hd], bias [heads, hd]
 *                                                             -> .attn.qkv.weight [3D, D], .bias [3D]
 *     MultiHeadDotProductAttention_1/out/kernel [heads, hd, D] -> .attn.proj.weight [D, D]
 *     LayerNorm_2, MlpBlock_3/Dense_0|Dense_1/kernel [in, out] -> .norm2, .mlp.fc1|fc2.weight [out, in]
 *   Transformer/encoder_norm/scale|bias                       -> norm.weight|bias
 *
 * big_vision files differ in small ways, normalised first: a `params/` or `params/img/` prefix,
 * `pos_embedding` at the top level, sub-modules numbered per type (MultiHeadDotProductAttention_0,
 * LayerNorm_1, MlpBlock_0), and scanned blocks stacked under `Transformer/encoderblock/` with a
 * leading depth axis. The classifier (`head/*`, `pre_logits/*`) is dropped. The kernels reveal the
 * head count, which this scheme reports as a hint.
 */
import type { Float32Tensor, HostTensor, NamedTensors } from '../tensor.ts';
import { concat0, permute, reshape, split0, transpose2d } from './layout.ts';
import { expectShape, type Fail, type NameRule, type NamingScheme } from './scheme.ts';

const block = 'Transformer/encoderblock_{i}';
const attention = `${block}/MultiHeadDotProductAttention_1`;
const rename = (
  canonical: string,
  source: string,
  convert?: NameRule['convert'],
  invert?: NameRule['invert'],
): NameRule => (convert ? { canonical, sources: [source], convert, invert } : { canonical, sources: [source] });

const transposed: NameRule['invert'] = (w) => [transpose2d(w)];

/** Dense kernel [in, out] -> Linear weight [out, in]. */
const linear: NameRule['convert'] = ([k], [name], fail) => {
  expectShape(k!, [null, null], name!, fail);
  return transpose2d(k!);
};

/** q, k, v kernels [D, heads, hd] -> qkv.weight [3D, D] (rows: q then k then v, as timm). */
function qkvWeight(kernels: readonly Float32Tensor[], names: readonly string[], fail: Fail): Float32Tensor {
  return concat0(
    kernels.map((k, j) => {
      expectShape(k, [null, null, null], names[j]!, fail);
      return transpose2d(reshape(k, [k.shape[0]!, k.shape[1]! * k.shape[2]!]));
    }),
  );
}

function qkvBias(biases: readonly Float32Tensor[], names: readonly string[], fail: Fail): Float32Tensor {
  return concat0(
    biases.map((b, j) => {
      expectShape(b, [null, null], names[j]!, fail);
      return reshape(b, [b.data.length]);
    }),
  );
}

/** out kernel [heads, hd, D] -> proj.weight [D, heads*hd]. */
const outWeight: NameRule['convert'] = ([k], [name], fail) => {
  expectShape(k!, [null, null, null], name!, fail);
  return transpose2d(reshape(k!, [k!.shape[0]! * k!.shape[1]!, k!.shape[2]!]));
};

const hwioToOihw: NameRule['convert'] = ([k], [name], fail) => {
  expectShape(k!, [null, null, null, null], name!, fail);
  return permute(k!, [3, 2, 0, 1]);
};

/** qkv.weight [3D, D] -> q, k, v kernels [D, heads, hd]. */
const splitQkvWeight: NameRule['invert'] = (qkv, { heads }) =>
  split0(qkv, 3).map((w) => reshape(transpose2d(w), [w.shape[1]!, heads, w.shape[0]! / heads]));

const splitQkvBias: NameRule['invert'] = (qkv, { heads }) =>
  split0(qkv, 3).map((b) => reshape(b, [heads, b.shape[0]! / heads]));

/** proj.weight [D, heads*hd] -> out kernel [heads, hd, D]. */
const outKernel: NameRule['invert'] = (w, { heads }) => [
  reshape(transpose2d(w), [heads, w.shape[1]! / heads, w.shape[0]!]),
];

const qkvSources = (part: string) => ['query', 'key', 'value'].map((n) => `${attention}/${n}/${part}`);

export const npzNaming: NamingScheme = {
  name: 'npz',
  description: "Google's ViT .npz checkpoints (vit_jax / big_vision Flax names)",
  blockPattern: /^Transformer\/encoderblock_(\d+)\//,
  rules: [
    rename('patch_embed.proj.weight', 'embedding/kernel', hwioToOihw, (w) => [permute(w, [2, 3, 1, 0])]),
    rename('patch_embed.proj.bias', 'embedding/bias'),
    rename('cls_token', 'cls'),
    rename('pos_embed', 'Transformer/posembed_input/pos_embedding'),
    rename('norm.weight', 'Transformer/encoder_norm/scale'),
    rename('norm.bias', 'Transformer/encoder_norm/bias'),
  ],
  blockRules: [
    rename('blocks.{i}.norm1.weight', `${block}/LayerNorm_0/scale`),
    rename('blocks.{i}.norm1.bias', `${block}/LayerNorm_0/bias`),
    {
      canonical: 'blocks.{i}.attn.qkv.weight',
      sources: qkvSources('kernel'),
      convert: qkvWeight,
      invert: splitQkvWeight,
    },
    { canonical: 'blocks.{i}.attn.qkv.bias', sources: qkvSources('bias'), convert: qkvBias, invert: splitQkvBias },
    rename('blocks.{i}.attn.proj.weight', `${attention}/out/kernel`, outWeight, outKernel),
    rename('blocks.{i}.attn.proj.bias', `${attention}/out/bias`),
    rename('blocks.{i}.norm2.weight', `${block}/LayerNorm_2/scale`),
    rename('blocks.{i}.norm2.bias', `${block}/LayerNorm_2/bias`),
    rename('blocks.{i}.mlp.fc1.weight', `${block}/MlpBlock_3/Dense_0/kernel`, linear, transposed),
    rename('blocks.{i}.mlp.fc1.bias', `${block}/MlpBlock_3/Dense_0/bias`),
    rename('blocks.{i}.mlp.fc2.weight', `${block}/MlpBlock_3/Dense_1/kernel`, linear, transposed),
    rename('blocks.{i}.mlp.fc2.bias', `${block}/MlpBlock_3/Dense_1/bias`),
  ],
  prefixes: ['opt/target/', 'params/img/', 'params/'],
  ignore: [/^head\//, /^pre_logits\//],
  prepare: normaliseBigVision,
  hints: (raw) => {
    const query = raw.get('Transformer/encoderblock_0/MultiHeadDotProductAttention_1/query/kernel');
    return query?.shape.length === 3 ? { heads: query.shape[1]! } : {};
  },
};

const scanned = 'Transformer/encoderblock/';

/** big_vision -> vit_jax names: unstack scanned blocks, renumber sub-modules, move pos_embedding. */
function normaliseBigVision(raw: NamedTensors): NamedTensors {
  const perType = [...raw.keys()].some((n) => n.includes('/MultiHeadDotProductAttention_0/'));
  const out: NamedTensors = new Map();
  const put = (name: string, tensor: HostTensor) => {
    const renamed = perType
      ? name
          .replace('/MultiHeadDotProductAttention_0/', '/MultiHeadDotProductAttention_1/')
          .replace('/LayerNorm_1/', '/LayerNorm_2/')
          .replace('/MlpBlock_0/', '/MlpBlock_3/')
      : name;
    out.set(renamed === 'pos_embedding' ? 'Transformer/posembed_input/pos_embedding' : renamed, tensor);
  };
  for (const [name, tensor] of raw) {
    if (!name.startsWith(scanned) || tensor.dtype !== 'float32') {
      put(name, tensor);
      continue;
    }
    const [depth, ...rest] = tensor.shape;
    const size = tensor.data.length / Math.max(1, depth ?? 1);
    for (let i = 0; i < (depth ?? 0); i++) {
      const data = tensor.data.subarray(i * size, (i + 1) * size);
      put(`Transformer/encoderblock_${i}/${name.slice(scanned.length)}`, { dtype: 'float32', shape: rest, data });
    }
  }
  return out;
}
