/**
 * The canonical weight naming of this project: timm's VisionTransformer names with PyTorch
 * layouts. Every importer (torchvision, Google npz, CLIP) converts to these names; createVit
 * accepts exactly this set for a given VitConfig.
 *
 *   patch_embed.proj.weight [D, C, P, P]   patch_embed.proj.bias [D]   (no bias when !patchBias)
 *   cls_token [1, 1, D]                    pos_embed [1, 1 + G*G, D]
 *   norm_pre.weight|bias [D]               (only when preNorm; CLIP's ln_pre)
 *   blocks.{i}.norm1.weight|bias [D]       blocks.{i}.attn.qkv.weight [3D, D]  .attn.qkv.bias [3D]
 *   blocks.{i}.attn.proj.weight [D, D]     blocks.{i}.attn.proj.bias [D]
 *   blocks.{i}.norm2.weight|bias [D]       blocks.{i}.mlp.fc1.weight [H, D]    .mlp.fc1.bias [H]
 *   blocks.{i}.mlp.fc2.weight [D, H]       blocks.{i}.mlp.fc2.bias [D]
 *   norm.weight|bias [D]                   head.weight [E, D]  (only with projectionDim; CLIP's proj^T)
 */
import { type VitConfig, gridSize } from './vit_config.ts';

export function blockWeightShapes(config: VitConfig, i: number): Array<[string, number[]]> {
  const { dim: D, mlpDim: H } = config;
  const p = `blocks.${i}.`;
  return [
    [`${p}norm1.weight`, [D]],
    [`${p}norm1.bias`, [D]],
    [`${p}attn.qkv.weight`, [3 * D, D]],
    [`${p}attn.qkv.bias`, [3 * D]],
    [`${p}attn.proj.weight`, [D, D]],
    [`${p}attn.proj.bias`, [D]],
    [`${p}norm2.weight`, [D]],
    [`${p}norm2.bias`, [D]],
    [`${p}mlp.fc1.weight`, [H, D]],
    [`${p}mlp.fc1.bias`, [H]],
    [`${p}mlp.fc2.weight`, [D, H]],
    [`${p}mlp.fc2.bias`, [D]],
  ];
}

/** Every tensor a ViT with this config needs, in a stable order, with its shape. */
export function vitWeightShapes(config: VitConfig): Map<string, number[]> {
  const { dim: D, channels: C, patchSize: P } = config;
  const G = gridSize(config);
  const entries: Array<[string, number[]]> = [
    ['patch_embed.proj.weight', [D, C, P, P]],
    ...(config.patchBias ? [['patch_embed.proj.bias', [D]] as [string, number[]]] : []),
    ['cls_token', [1, 1, D]],
    ['pos_embed', [1, 1 + G * G, D]],
    ...(config.preNorm
      ? ([
          ['norm_pre.weight', [D]],
          ['norm_pre.bias', [D]],
        ] as Array<[string, number[]]>)
      : []),
    ...Array.from({ length: config.depth }, (_, i) => blockWeightShapes(config, i)).flat(),
    ['norm.weight', [D]],
    ['norm.bias', [D]],
    ...(config.projectionDim === null ? [] : [['head.weight', [config.projectionDim, D]] as [string, number[]]]),
  ];
  return new Map(entries);
}
