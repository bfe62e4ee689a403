/**
 * Parameter counts of the model pieces (the numbers docs/METHOD.md quotes at ViT-B scale: shared
 * prompt 92,160 + pool 921,600 + keys 15,360 on an 85.8 M backbone). Shapes follow timm's
 * VisionTransformer and the LPT/AdaptFormer modules.
 */

export interface VitShape {
  readonly image: number;
  readonly patch: number;
  readonly dim: number;
  readonly depth: number;
  readonly channels: number;
  readonly mlpRatio: number;
}

/** Heads as written, else dim / 64 (at least 1). */
export function vitHeads(vit: { readonly heads?: number | undefined; readonly dim: number }): number {
  return vit.heads ?? Math.max(1, Math.floor(vit.dim / 64));
}

export function patchCount(b: Pick<VitShape, 'image' | 'patch'>): number {
  return Math.floor(b.image / b.patch) ** 2;
}

export function mlpHidden(b: Pick<VitShape, 'dim' | 'mlpRatio'>): number {
  return Math.round(b.dim * b.mlpRatio);
}

/** Patch embedding, CLS token, position embedding, depth x block, final LayerNorm. */
export function vitParams(b: VitShape): number {
  const d = b.dim;
  const hidden = mlpHidden(b);
  const patchEmbed = b.channels * b.patch * b.patch * d + d;
  const tokens = d + (patchCount(b) + 1) * d;
  const block = 2 * d + (d * 3 * d + 3 * d) + (d * d + d) + 2 * d + (d * hidden + hidden) + (hidden * d + d);
  return patchEmbed + tokens + b.depth * block + 2 * d;
}

export function deepPromptParams(layers: number, length: number, dim: number): number {
  return layers * length * dim;
}

export function poolParams(size: number, layers: number, length: number, dim: number): number {
  return size * layers * length * dim;
}

export function keyParams(size: number, dim: number): number {
  return size * dim;
}

/** down (dim -> b, with bias) and up (b -> dim, with bias) per adapted block. */
export function adapterParams(layers: number, dim: number, bottleneck: number): number {
  return layers * (dim * bottleneck + bottleneck + bottleneck * dim + dim);
}

export function linearHeadParams(classes: number, dim: number, bias: boolean): number {
  return classes * dim + (bias ? classes : 0);
}

/** The text head: class weights (when tuned) and a bias-free projection when widths differ. */
export function textHeadParams(classes: number, dim: number, embedDim: number, tune: boolean): number {
  return (tune ? classes * embedDim : 0) + (embedDim !== dim ? dim * embedDim : 0);
}

/** An MLP in -> hidden -> out with biases, or one linear layer when hidden is 0. */
export function mlpParams(input: number, hidden: number, output: number): number {
  return hidden > 0 ? input * hidden + hidden + hidden * output + output : input * output + output;
}
