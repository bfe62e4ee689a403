/**
 * The architecture of a CLIP text tower (Radford et al., arXiv 2103.00020, section 2.4): a
 * token embedding [V, W], a learned position embedding for a context of T tokens, L causal
 * pre-norm blocks of width W, a final LayerNorm, and a bias-free projection to E.
 * ViT-B/16's: V 49408, T 77, W 512, L 12, 8 heads, MLP 2048, E 512, QuickGELU, eps 1e-5.
 */
import type { Activation } from '../model/vit_config.ts';

export interface TextConfig {
  readonly vocabSize: number;
  readonly context: number;
  readonly width: number;
  readonly depth: number;
  readonly heads: number;
  readonly mlpDim: number;
  readonly embedDim: number;
  readonly activation: Activation;
  readonly layerNormEps: number;
  /** open_clip's Linear text projection may carry a bias [E]. */
  readonly projectionBias: boolean;
}

/** Every canonical tensor of a text tower with this config, with its shape. */
export function textWeightShapes(c: TextConfig): Map<string, number[]> {
  const { width: W, mlpDim: H } = c;
  const shapes = new Map<string, number[]>([
    ['token_embedding', [c.vocabSize, W]],
    ['pos_embed', [c.context, W]],
  ]);
  for (let i = 0; i < c.depth; i++) {
    const p = `blocks.${i}.`;
    for (const norm of ['norm1', 'norm2']) shapes.set(`${p}${norm}.weight`, [W]).set(`${p}${norm}.bias`, [W]);
    shapes.set(`${p}attn.qkv.weight`, [3 * W, W]).set(`${p}attn.qkv.bias`, [3 * W]);
    shapes.set(`${p}attn.proj.weight`, [W, W]).set(`${p}attn.proj.bias`, [W]);
    shapes.set(`${p}mlp.fc1.weight`, [H, W]).set(`${p}mlp.fc1.bias`, [H]);
    shapes.set(`${p}mlp.fc2.weight`, [W, H]).set(`${p}mlp.fc2.bias`, [W]);
  }
  shapes.set('norm.weight', [W]).set('norm.bias', [W]).set('text_projection', [c.embedDim, W]);
  if (c.projectionBias) shapes.set('text_projection_bias', [c.embedDim]);
  return shapes;
}

/** One line for summaries. */
export function describeTextConfig(c: TextConfig): string {
  const act = c.activation === 'quick_gelu' ? ', QuickGELU' : ', GELU';
  return `CLIP text: width ${c.width}, depth ${c.depth}, heads ${c.heads}, mlp ${c.mlpDim}, embed ${c.embedDim}, context ${c.context}, vocab ${c.vocabSize}${act}`;
}
