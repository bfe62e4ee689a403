/**
 * createVit: builds a frozen Vit from a name -> tensor map in the canonical naming
 * (vit_weights.ts). All problems are gathered first and reported together in one WeightsError
 * naming each missing, unexpected, mis-shaped or mis-typed tensor. A pos_embed made for another
 * square patch grid is resampled (bicubic with antialias by default, as timm does) and noted.
 * The map may hold tf tensors or host tensors ({dtype, shape, data}, as the weight readers
 * return them). The caller keeps ownership of the map's tensors; the Vit holds its own copies.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WeightsError, type WeightsErrorKind } from '../weights/errors.ts';
import { frozenLinearFromTorch } from './frozen_linear.ts';
import { resolveModelPaths } from './kernels/paths.ts';
import { frozenLayerNorm } from './layer_norm.ts';
import type { BlockParams } from './params.ts';
import { patchEmbedFromTorch } from './patch_embed.ts';
import { type ResampleOptions, resamplePosEmbed } from './position_embed.ts';
import type { ModelPaths } from './speed.ts';
import { tokenPaths, type Vit } from './vit.ts';
import { gridSize, type VitConfig } from './vit_config.ts';
import { vitWeightShapes } from './vit_weights.ts';
import { frozenVariable } from './variables.ts';

export interface CreateVitOptions {
  /** Names the weights' origin in error messages (a file path); default 'weights'. */
  readonly source?: string;
  /** How to resample a pos_embed made for another grid; null refuses (a shape error). */
  readonly posEmbedResample?: ResampleOptions | null;
  /** Receives one line per adjustment made while loading (a resampled pos_embed). */
  readonly onNote?: (note: string) => void;
  /** How the forward pass computes (speed.ts); default: the fastest the backend offers. */
  readonly paths?: ModelPaths;
}

const shapeText = (shape: readonly number[]) => `[${shape.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((n, i) => n === b[i]);

/** The grid side of a pos_embed [1, 1 + g*g, D] made for another square grid, else null. */
function foreignGrid(shape: readonly number[], expected: readonly number[]): number | null {
  if (shape.length !== 3 || shape[0] !== 1 || shape[2] !== expected[2]) return null;
  const g = Math.round(Math.sqrt((shape[1] as number) - 1));
  return g > 0 && g * g === (shape[1] as number) - 1 ? g : null;
}

/** A host tensor as runtime/weights reads it: row-major data with a shape. */
export interface HostWeight {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array | BigInt64Array;
}

export type VitWeights = ReadonlyMap<string, tf.Tensor | HostWeight>;

function isTfTensor(value: tf.Tensor | HostWeight): value is tf.Tensor {
  return value instanceof tf.Tensor;
}

interface Problem {
  readonly kind: WeightsErrorKind;
  readonly tensor: string;
  readonly text: string;
}

function weightProblems(config: VitConfig, weights: VitWeights, resample: boolean): Problem[] {
  const expected = vitWeightShapes(config);
  const problems: Problem[] = [];
  for (const [name, shape] of expected) {
    const tensor = weights.get(name);
    if (tensor === undefined) {
      problems.push({ kind: 'missing', tensor: name, text: `'${name}' is missing (expected ${shapeText(shape)})` });
    } else if (tensor.dtype !== 'float32') {
      problems.push({ kind: 'dtype', tensor: name, text: `'${name}' is ${tensor.dtype}, expected float32` });
    } else if (
      !sameShape(tensor.shape, shape) &&
      !(name === 'pos_embed' && resample && foreignGrid(tensor.shape, shape) !== null)
    ) {
      problems.push({
        kind: 'shape',
        tensor: name,
        text: `'${name}' has shape ${shapeText(tensor.shape)}, the config needs ${shapeText(shape)}`,
      });
    }
  }
  for (const name of weights.keys()) {
    if (!expected.has(name))
      problems.push({ kind: 'unexpected', tensor: name, text: `'${name}' is not part of this ViT` });
  }
  return problems;
}

export function createVit(config: VitConfig, weights: VitWeights, options: CreateVitOptions = {}): Vit {
  const source = options.source ?? 'weights';
  const resample = options.posEmbedResample !== null;
  const problems = weightProblems(config, weights, resample);
  const first = problems[0];
  if (first !== undefined) {
    throw new WeightsError(first.kind, source, problems.map((p) => p.text).join('; '), first.tensor);
  }
  const owned: tf.Tensor[] = [];
  const tensors = new Map<string, tf.Tensor>();
  for (const [name, value] of weights) {
    if (isTfTensor(value)) {
      tensors.set(name, value);
    } else {
      const t = tf.tensor(value.data as Float32Array, [...value.shape], 'float32');
      owned.push(t);
      tensors.set(name, t);
    }
  }
  try {
    return buildVit(config, tensors, source, options);
  } finally {
    tf.dispose(owned);
  }
}

/**
 * Frozen block parameters from canonical tensors `${prefix}.norm1.weight`, ... (vit_weights.ts),
 * computing by `paths`.
 */
export function frozenBlock(
  weights: ReadonlyMap<string, tf.Tensor>,
  prefix: string,
  config: Pick<VitConfig, 'heads' | 'activation' | 'layerNormEps'>,
  paths: ModelPaths,
): BlockParams {
  const w = (name: string) => weights.get(`${prefix}.${name}`) as tf.Tensor;
  const norm = (name: string) =>
    frozenLayerNorm(w(`${name}.weight`), w(`${name}.bias`), config.layerNormEps, paths.layerNorm);
  const linear = (name: string) => frozenLinearFromTorch(w(`${name}.weight`), w(`${name}.bias`));
  return {
    norm1: norm('norm1'),
    attn: { qkv: linear('attn.qkv'), proj: linear('attn.proj'), heads: config.heads, core: paths.attention },
    norm2: norm('norm2'),
    mlp: { fc1: linear('mlp.fc1'), fc2: linear('mlp.fc2'), activation: config.activation, gelu: paths.gelu },
    kernel: paths.block,
    gradient: paths.blockGrad,
  };
}

function buildVit(
  config: VitConfig,
  weights: ReadonlyMap<string, tf.Tensor>,
  source: string,
  options: CreateVitOptions,
): Vit {
  const w = (name: string) => weights.get(name) as tf.Tensor;
  const optional = (name: string) => weights.get(name) ?? null;
  const paths = options.paths ?? resolveModelPaths();
  const eps = config.layerNormEps;
  const norm = (prefix: string) => frozenLayerNorm(w(`${prefix}.weight`), w(`${prefix}.bias`), eps, paths.layerNorm);

  const blocks = Array.from({ length: config.depth }, (_, i) => frozenBlock(weights, `blocks.${i}`, config, paths));

  const pos = w('pos_embed');
  const G = gridSize(config);
  const g0 = pos.shape[1] === 1 + G * G ? G : (foreignGrid(pos.shape, [1, 1 + G * G, config.dim]) as number);
  let posEmbed: tf.Variable;
  if (g0 === G) {
    posEmbed = frozenVariable(() => pos.clone());
  } else {
    const opts = options.posEmbedResample ?? {};
    posEmbed = frozenVariable(() => resamplePosEmbed(pos, [g0, g0], [G, G], opts));
    const how = `${opts.mode ?? 'bicubic'}${(opts.antialias ?? true) ? ', antialias' : ''}`;
    options.onNote?.(`${source}: pos_embed resampled from a ${g0}x${g0} to a ${G}x${G} patch grid (${how})`);
  }

  return {
    config,
    patchEmbed: patchEmbedFromTorch(w('patch_embed.proj.weight'), optional('patch_embed.proj.bias')),
    clsToken: frozenVariable(() => w('cls_token').clone()),
    posEmbed,
    normPre: config.preNorm ? norm('norm_pre') : null,
    blocks,
    norm: norm('norm'),
    projection: config.projectionDim === null ? null : frozenLinearFromTorch(w('head.weight'), null),
    paths: tokenPaths(paths),
  };
}
