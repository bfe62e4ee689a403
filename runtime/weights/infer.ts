/**
 * Architecture inference from canonical tensor shapes: patch size, channels and dim from the
 * patch embedding, the grid (so the image size) from pos_embed, depth from the blocks, the MLP
 * width from fc1; heads are given, hinted by the file (Google's kernels), or dim/64 (at least 1).
 * Every tensor is then checked against the inferred architecture; a disagreement names the
 * tensor as the file calls it.
 */
import { makeVitConfig, type VitConfig } from '../model/vit_config.ts';
import { WeightsError } from './errors.ts';
import type { Activation, SchemeHints } from './naming/scheme.ts';
import { formatShape, sameShape, type FloatTensors } from './tensor.ts';

/** The inferred architecture is the model's own config (runtime/model/vit_config.ts). */
export type BackboneArchitecture = VitConfig;

export interface ArchitectureOverrides {
  readonly heads?: number;
  readonly activation?: Activation;
  readonly layerNormEps?: number;
}

/** ViT defaults (timm / torchvision / Google): GELU, LayerNorm eps 1e-6. */
export const vitDefaults = { activation: 'gelu', layerNormEps: 1e-6 } as const;

export interface InferInput {
  readonly tensors: FloatTensors;
  readonly depth: number;
  /** Canonical name -> the file's names, for messages. */
  readonly sources: ReadonlyMap<string, readonly string[]>;
  readonly hints: SchemeHints;
  readonly file: string;
}

export function inferArchitecture(input: InferInput, overrides: ArchitectureOverrides = {}): BackboneArchitecture {
  const { tensors, depth, sources, hints, file } = input;
  const fileName = (canonical: string) => (sources.get(canonical) ?? [canonical]).join(', ');
  const fail = (canonical: string, problem: string) => new WeightsError('shape', file, problem, fileName(canonical));
  const shapeOf = (canonical: string): readonly number[] => {
    const t = tensors.get(canonical);
    if (!t) throw new WeightsError('missing', file, 'is missing', fileName(canonical));
    return t.shape;
  };

  const patch = shapeOf('patch_embed.proj.weight');
  if (patch.length !== 4 || patch[2] !== patch[3]) {
    throw fail(
      'patch_embed.proj.weight',
      `has shape ${formatShape(patch)}; expected a square patch kernel [dim, channels, patch, patch]`,
    );
  }
  const [dim, channels, patchSize] = patch as [number, number, number, number];
  const pos = shapeOf('pos_embed');
  const grid = Math.round(Math.sqrt((pos[1] ?? 0) - 1));
  if (pos.length !== 3 || pos[0] !== 1 || pos[2] !== dim || grid < 1 || grid * grid + 1 !== pos[1]) {
    throw fail(
      'pos_embed',
      `has shape ${formatShape(pos)}; expected [1, 1 + grid*grid, ${dim}] (a class token plus a square grid of patches)`,
    );
  }
  if (depth < 1)
    throw new WeightsError('missing', file, 'holds no transformer blocks under this naming scheme (wrong --naming?)');
  const fc1 = shapeOf('blocks.0.mlp.fc1.weight');
  const mlpHidden = fc1[0] ?? 0;
  const heads = resolveHeads(dim, overrides.heads, hints.heads, file);
  const preNorm = tensors.has('norm_pre.weight') || tensors.has('norm_pre.bias');
  const head = tensors.get('head.weight');

  const expected = new Map<string, readonly number[]>([
    ['patch_embed.proj.bias', [dim]],
    ['cls_token', [1, 1, dim]],
    ['norm.weight', [dim]],
    ['norm.bias', [dim]],
  ]);
  if (preNorm) expected.set('norm_pre.weight', [dim]).set('norm_pre.bias', [dim]);
  if (head) expected.set('head.weight', [head.shape[0] ?? 0, dim]);
  for (let i = 0; i < depth; i++) {
    const b = `blocks.${i}.`;
    for (const [suffix, shape] of [
      ['norm1.weight', [dim]],
      ['norm1.bias', [dim]],
      ['attn.qkv.weight', [3 * dim, dim]],
      ['attn.qkv.bias', [3 * dim]],
      ['attn.proj.weight', [dim, dim]],
      ['attn.proj.bias', [dim]],
      ['norm2.weight', [dim]],
      ['norm2.bias', [dim]],
      ['mlp.fc1.weight', [mlpHidden, dim]],
      ['mlp.fc1.bias', [mlpHidden]],
      ['mlp.fc2.weight', [dim, mlpHidden]],
      ['mlp.fc2.bias', [dim]],
    ] as const) {
      expected.set(b + suffix, shape);
    }
  }
  for (const [canonical, shape] of expected) {
    const actual = shapeOf(canonical);
    if (!sameShape(actual, shape)) {
      throw fail(
        canonical,
        `has shape ${formatShape(actual)}, expected ${formatShape(shape)} for ${canonical} (dim ${dim}, mlp ${mlpHidden})`,
      );
    }
  }
  // Every invariant makeVitConfig checks holds by construction here, so it cannot throw.
  return makeVitConfig({
    imageSize: grid * patchSize,
    patchSize,
    channels,
    dim,
    depth,
    heads,
    mlpDim: mlpHidden,
    activation: overrides.activation ?? hints.activation ?? vitDefaults.activation,
    layerNormEps: overrides.layerNormEps ?? hints.layerNormEps ?? vitDefaults.layerNormEps,
    // Importers give CLIP's bias-free conv a zero bias, so every imported patch embedding has one.
    patchBias: true,
    preNorm,
    projectionDim: head ? head.shape[0]! : null,
  });
}

function resolveHeads(dim: number, given: number | undefined, hinted: number | undefined, file: string): number {
  if (given !== undefined && hinted !== undefined && given !== hinted) {
    throw new WeightsError(
      'shape',
      file,
      `heads ${given} disagrees with the checkpoint's attention kernels, which have ${hinted} heads`,
    );
  }
  const heads = given ?? hinted ?? Math.max(1, Math.floor(dim / 64));
  if (!Number.isInteger(heads) || heads < 1 || dim % heads !== 0) {
    const why =
      given === undefined
        ? `the default dim/64 = ${heads} does not divide dim ${dim}; pass heads explicitly`
        : `heads ${heads} must be a positive divisor of dim ${dim}`;
    throw new WeightsError('shape', file, why);
  }
  return heads;
}
