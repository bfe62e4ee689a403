/**
 * Classifier heads on the feature f [B, D]. Linear: z = f W + b. Cosine (LPT): z_j = cos(f, w_j),
 * no bias; the scale s (default 20) belongs to the loss, which multiplies z by it. Dropout on f
 * during training (LPT's code uses 0.1). Weights are stored [D, C]; a text-initialised head
 * (the VL expert) passes class embeddings [C, E] as `init`: with E != D a projection P [D, E]
 * maps the feature first (z_j = cos(f P, w_j)): the backbone's own (CLIP's visual.proj, so the
 * untrained head is CLIP's zero-shot classifier), frozen or trainable, or a new random one.
 * `frozen` keeps the class weights fixed (a text head with tune: false).
 */
import * as tf from '@tensorflow/tfjs-core';
import { assertNoProblems, checkPositiveInt } from './errors.ts';
import { l2Normalize } from './normalize.ts';
import { frozenVariable, trainableVariable } from './variables.ts';

export type HeadKind = 'linear' | 'cosine';
/**
 * unit: U[-1, 1] with every class column rescaled to norm 1 (the authors' NormedLinear);
 * normal: truncated normal, std 0.02 (timm's head init; column norm ~0.02 sqrt(D)).
 */
export type HeadInit = 'unit' | 'normal';

export interface HeadConfig {
  readonly kind: HeadKind;
  readonly classes: number;
  /** Dropout rate on the feature in training; default 0. */
  readonly dropout?: number;
  /** Cosine only: the logit scale the loss should apply; default 20. */
  readonly scale?: number;
  /** Initial class weights [C, D] (e.g. text embeddings; [C, E] with a projection); default random, drawn as `randomInit` says. */
  readonly init?: tf.Tensor;
  /** Default: 'unit' for a cosine head, 'normal' for a linear head. */
  readonly randomInit?: HeadInit;
  /** Cosine only: project the feature first (a text head whose embed_dim differs). */
  readonly projection?: ProjectionConfig;
  /** Keep the class weights fixed (not trainable). */
  readonly frozen?: boolean;
}

export interface ProjectionConfig {
  /** Output width E. */
  readonly width: number;
  /** Initial P [D, E] (the backbone's own projection, copied); default U(+-1/sqrt(D)). */
  readonly init?: tf.Tensor;
  /** Keep P fixed (the backbone's projection, frozen like the backbone). */
  readonly frozen?: boolean;
}

export interface Head {
  readonly kind: HeadKind;
  readonly weight: tf.Variable; // [D, C], or [E, C] with a projection
  readonly bias: tf.Variable | null; // [C], linear only
  readonly projection: tf.Variable | null; // [D, E]
  readonly dropout: number;
  /** The scale the loss applies to cosine logits (1 for a linear head). */
  readonly scale: number;
}

export function headProblems(config: HeadConfig, dim: number): string[] {
  const problems = checkPositiveInt('classes', config.classes);
  const dropout = config.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) problems.push(`dropout must be in [0, 1) (got ${dropout})`);
  if (config.kind !== 'linear' && config.kind !== 'cosine')
    problems.push(`kind must be 'linear' or 'cosine' (got '${String(config.kind)}')`);
  const random = config.randomInit;
  if (random !== undefined && random !== 'unit' && random !== 'normal')
    problems.push(`randomInit must be 'unit' or 'normal' (got '${String(random)}')`);
  const projection = config.projection;
  const width = projection?.width ?? dim;
  if (projection !== undefined && config.kind !== 'cosine') problems.push('only a cosine head takes a projection');
  const pInit = projection?.init;
  if (pInit !== undefined && (pInit.rank !== 2 || pInit.shape[0] !== dim || pInit.shape[1] !== width))
    problems.push(`the projection's init must be [${dim}, ${width}], got [${pInit.shape.join(', ')}]`);
  const init = config.init;
  if (init !== undefined && (init.rank !== 2 || init.shape[0] !== config.classes || init.shape[1] !== width)) {
    problems.push(`init must be [${config.classes}, ${width}], got [${init.shape.join(', ')}]`);
  }
  return problems;
}

/**
 * Zero bias. A cosine head's logits ignore the columns' norms, but its effective learning rate
 * does not: column j turns at ~ lr / |w_j|^2, so a std-0.02 start (|w_j|^2 ~ 0.0004 D) trains
 * 1 / (0.0004 D) times faster than unit columns (39x at D = 64); cosine heads start unit-norm.
 * A new projection (text heads whose embed_dim differs) starts U(+-1/sqrt(D)).
 */
export function createHead(dim: number, config: HeadConfig, seed: number): Head {
  assertNoProblems('head', headProblems(config, dim));
  const init = config.init;
  const width = config.projection?.width ?? dim;
  const random = config.randomInit ?? (config.kind === 'cosine' ? 'unit' : 'normal');
  const makeWeight = () =>
    init !== undefined ? tf.transpose(init) : randomWeights(width, config.classes, random, seed);
  const weight = config.frozen === true ? frozenVariable(makeWeight) : trainableVariable(makeWeight);
  return {
    kind: config.kind,
    weight,
    bias: config.kind === 'linear' ? trainableVariable(() => tf.zeros([config.classes])) : null,
    projection: config.projection === undefined ? null : createProjection(dim, config.projection, seed + 1),
    dropout: config.dropout ?? 0,
    scale: config.kind === 'cosine' ? (config.scale ?? 20) : 1,
  };
}

function createProjection(dim: number, config: ProjectionConfig, seed: number): tf.Variable {
  const init = config.init;
  const bound = 1 / Math.sqrt(dim);
  const make = () =>
    init !== undefined ? init.clone() : tf.randomUniform([dim, config.width], -bound, bound, 'float32', seed);
  return config.frozen === true ? frozenVariable(make) : trainableVariable(make);
}

function randomWeights(dim: number, classes: number, init: HeadInit, seed: number): tf.Tensor {
  if (init === 'normal') return tf.truncatedNormal([dim, classes], 0, 0.02, 'float32', seed);
  return tf.tidy(() => {
    const w = tf.randomUniform([dim, classes], -1, 1, 'float32', seed);
    return tf.div(w, tf.norm(w, 2, 0, true));
  });
}

/** f [B, D] -> logits [B, C] (cosine: in [-1, 1], unscaled). */
export function applyHead(head: Head, features: tf.Tensor, training = false, seed?: number): tf.Tensor2D {
  const dropped = training && head.dropout > 0 ? tf.dropout(features, head.dropout, undefined, seed) : features;
  const f = head.projection === null ? dropped : tf.matMul(dropped as tf.Tensor2D, head.projection as tf.Tensor2D);
  if (head.kind === 'cosine') {
    return tf.matMul(l2Normalize(f, 1), l2Normalize(head.weight, 0)) as tf.Tensor2D;
  }
  return tf.add(tf.matMul(f as tf.Tensor2D, head.weight as tf.Tensor2D), head.bias as tf.Variable) as tf.Tensor2D;
}

/**
 * What dropout multiplies training features [rows, dim] by (0, or 1 / (1 - rate)): tf.dropout's
 * own draw for `seed`, made once for a whole batch so that a micro-batch can take its rows
 * (x * this equals tf.dropout(x, rate, undefined, seed)). Null for a head without dropout.
 */
export function dropoutMultiplier(head: Head, rows: number, dim: number, seed: number): tf.Tensor2D | null {
  if (head.dropout === 0) return null;
  return tf.tidy(() => tf.dropout(tf.ones([rows, dim]), head.dropout, undefined, seed) as tf.Tensor2D);
}

/** Every variable of the head, frozen class weights included (checkpoints, disposal). */
export function headVariables(head: Head): tf.Variable[] {
  return [head.weight, head.bias, head.projection].filter((v): v is tf.Variable => v !== null);
}

/** The variables training may update: not frozen class weights or a frozen projection. */
export function headTrainables(head: Head): tf.Variable[] {
  return headVariables(head).filter((v) => v.trainable);
}
