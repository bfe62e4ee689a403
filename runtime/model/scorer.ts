/**
 * The LPT++ mixture-of-experts scorer (docs/METHOD.md, "LPT++"): a small MLP reads the experts'
 * outputs and gives per-sample weights alpha_e(x); the prediction is the gated mixture of the
 * experts' probabilities,
 *   u = concat_e(p_e) (input 'confidence'), concat_e(f_e) ('feature'), or
 *       [concat_e(p_e), concat_e(f_e)] ('both': every confidence vector, then every feature)
 *   g = W2 relu(W1 u + b1) + b2              (hidden 0: g = W2 u + b2)
 *   alpha = softmax over experts of g (gate 'softmax') or sigmoid(g) (gate 'sigmoid'),
 *           one weight per expert, or one per expert and class (weights 'per_class')
 *   q = sum_e alpha_e * p_e, renormalised over classes (a no-op for softmax per-expert gates)
 *       (mix 'probabilities'), or q = softmax(sum_e alpha_e * log p_e) (mix 'logits': the experts'
 *       logits normalised by log-softmax, mixed; with per-expert weights exactly
 *       softmax(sum_e alpha_e * s_e z_e), since each expert's normaliser is constant over classes).
 * The losses read log q as logits (softmax(log q) = q), so CE, focal and balanced softmax apply
 * unchanged. W2 and b2 start at zero: an untrained scorer is the fixed equal-weight average.
 * Weights are stored [in, out] as in adapter.ts.
 */
import type { ScorerGate, ScorerInput, ScorerWeights } from '../../plan/enums.ts';
import * as tf from '@tensorflow/tfjs-core';
import { assertNoProblems, checkPositiveInt } from './errors.ts';
import { trainableVariable } from './variables.ts';

export type { ScorerGate, ScorerInput, ScorerWeights };
export type ScorerMix = 'probabilities' | 'logits';

export interface ScorerConfig {
  readonly experts: number;
  readonly classes: number;
  readonly input: ScorerInput;
  /** Width of each expert's input: classes for 'confidence', its backbone dim D_e for 'feature', classes + D_e for 'both'. */
  readonly inputDims: readonly number[];
  /** Hidden width; 0 for a single linear layer. */
  readonly hidden: number;
  readonly gate: ScorerGate;
  readonly weights: ScorerWeights;
  /** What the weights mix: the experts' probabilities (default) or their log-probabilities. */
  readonly mix?: ScorerMix;
}

export interface Scorer {
  readonly config: ScorerConfig;
  readonly hiddenWeight: tf.Variable | null; // [I, H]
  readonly hiddenBias: tf.Variable | null; // [H]
  readonly outWeight: tf.Variable; // [H or I, E] or [H or I, E * C]
  readonly outBias: tf.Variable; // [E] or [E * C]
}

/** What the experts give the scorer for one batch. */
export interface ExpertOutputs {
  /** Per expert [B, C]: its class probabilities. */
  readonly probs: readonly tf.Tensor2D[];
  /** Per expert [B, D_e]: its final CLS feature (needed for inputs 'feature' and 'both'). */
  readonly features?: readonly tf.Tensor2D[];
}

export function scorerProblems(c: ScorerConfig): string[] {
  const problems = [...checkPositiveInt('classes', c.classes)];
  if (!Number.isInteger(c.experts) || c.experts < 2) problems.push(`experts must be at least 2 (got ${c.experts})`);
  if (!Number.isInteger(c.hidden) || c.hidden < 0) problems.push(`hidden must be an integer >= 0 (got ${c.hidden})`);
  if (c.input !== 'confidence' && c.input !== 'feature' && c.input !== 'both')
    problems.push(`input must be 'confidence', 'feature' or 'both' (got '${String(c.input)}')`);
  if (c.gate !== 'softmax' && c.gate !== 'sigmoid')
    problems.push(`gate must be 'softmax' or 'sigmoid' (got '${String(c.gate)}')`);
  if (c.weights !== 'per_expert' && c.weights !== 'per_class')
    problems.push(`weights must be 'per_expert' or 'per_class' (got '${String(c.weights)}')`);
  if (c.mix !== undefined && c.mix !== 'probabilities' && c.mix !== 'logits')
    problems.push(`mix must be 'probabilities' or 'logits' (got '${String(c.mix)}')`);
  if (c.inputDims.length !== c.experts)
    problems.push(`inputDims has ${c.inputDims.length} entries for ${c.experts} experts`);
  c.inputDims.forEach((d, e) =>
    problems.push(...checkPositiveInt(`inputDims[${e}]`, c.input === 'both' ? d - c.classes : d)),
  );
  return problems;
}

export function scorerInputWidth(c: ScorerConfig): number {
  return c.inputDims.reduce((a, b) => a + b, 0);
}

export function scorerOutputWidth(c: ScorerConfig): number {
  return c.weights === 'per_class' ? c.experts * c.classes : c.experts;
}

/** Trainable parameters of a scorer (the compiler's count must agree). */
export function scorerParams(c: ScorerConfig): number {
  const i = scorerInputWidth(c);
  const o = scorerOutputWidth(c);
  return c.hidden > 0 ? i * c.hidden + c.hidden + c.hidden * o + o : i * o + o;
}

/** W1: U(-1/sqrt(I), 1/sqrt(I)) as nn.Linear's default, b1 zero; W2 and b2 zero. */
export function createScorer(config: ScorerConfig, seed: number): Scorer {
  assertNoProblems('scorer', scorerProblems(config));
  const i = scorerInputWidth(config);
  const o = scorerOutputWidth(config);
  const h = config.hidden;
  const bound = 1 / Math.sqrt(i);
  return {
    config,
    hiddenWeight: h > 0 ? trainableVariable(() => tf.randomUniform([i, h], -bound, bound, 'float32', seed)) : null,
    hiddenBias: h > 0 ? trainableVariable(() => tf.zeros([h])) : null,
    outWeight: trainableVariable(() => tf.zeros([h > 0 ? h : i, o])),
    outBias: trainableVariable(() => tf.zeros([o])),
  };
}

export function scorerVariables(s: Scorer): tf.Variable[] {
  return [s.hiddenWeight, s.hiddenBias, s.outWeight, s.outBias].filter((v): v is tf.Variable => v !== null);
}

/** The scorer's input u [B, I] from the experts' outputs. */
export function scorerInput(s: Scorer, outputs: ExpertOutputs): tf.Tensor2D {
  const c = s.config;
  if (c.input === 'confidence') {
    checkWidths(c.experts, outputs.probs, c.inputDims);
    return tf.concat(outputs.probs as tf.Tensor2D[], 1);
  }
  const features = outputs.features;
  if (features === undefined) throw new Error(`scorer input '${c.input}' needs the experts' features`);
  if (c.input === 'feature') {
    checkWidths(c.experts, features, c.inputDims);
    return tf.concat(features as tf.Tensor2D[], 1);
  }
  checkWidths(
    c.experts,
    features,
    c.inputDims.map((d) => d - c.classes),
  );
  return tf.concat([...outputs.probs, ...features] as tf.Tensor2D[], 1);
}

function checkWidths(experts: number, parts: readonly tf.Tensor2D[], widths: readonly number[]): void {
  if (parts.length !== experts) throw new Error(`scorer: ${parts.length} expert outputs for ${experts} experts`);
  parts.forEach((p, e) => {
    if (p.shape[1] !== widths[e])
      throw new Error(`scorer: expert ${e} gives width ${p.shape[1]}, expected ${widths[e]}`);
  });
}

/** alpha [B, E, 1] (per expert) or [B, E, C] (per class). */
export function gateWeights(s: Scorer, input: tf.Tensor2D): tf.Tensor3D {
  const c = s.config;
  const hidden =
    s.hiddenWeight && s.hiddenBias ? tf.relu(tf.add(tf.matMul(input, s.hiddenWeight), s.hiddenBias)) : input;
  const g = tf.add(tf.matMul(hidden as tf.Tensor2D, s.outWeight as tf.Tensor2D), s.outBias);
  const shaped = tf.reshape(g, [input.shape[0], c.experts, c.weights === 'per_class' ? c.classes : 1]);
  if (c.gate === 'sigmoid') return tf.sigmoid(shaped) as tf.Tensor3D;
  return tf.transpose(tf.softmax(tf.transpose(shaped, [0, 2, 1])), [0, 2, 1]) as tf.Tensor3D;
}

const MIX_EPS = 1e-12;
/**
 * Floor of a probability before its log in a logit mixture: far below MIX_EPS, so that cosine
 * heads (|s z| <= 2s, e.g. log p >= -40 - log C at s = 20) are mixed unclipped.
 */
const LOG_FLOOR = 1e-30;

/** The mixture's class probabilities q [B, C] and its log (the loss's logits). */
export function mixture(
  s: Scorer,
  outputs: ExpertOutputs,
): { probs: tf.Tensor2D; logits: tf.Tensor2D; alpha: tf.Tensor3D } {
  checkWidths(
    s.config.experts,
    outputs.probs,
    outputs.probs.map(() => s.config.classes),
  );
  const alpha = gateWeights(s, scorerInput(s, outputs));
  const stacked = tf.stack(outputs.probs as tf.Tensor2D[], 1); // [B, E, C]
  if (s.config.mix === 'logits') {
    const mixed = tf.sum(tf.mul(alpha, tf.log(tf.maximum(stacked, LOG_FLOOR))), 1) as tf.Tensor2D;
    return { probs: tf.softmax(mixed), logits: tf.logSoftmax(mixed), alpha };
  }
  const weighted = tf.sum(tf.mul(alpha, stacked), 1) as tf.Tensor2D;
  const probs = tf.div(weighted, tf.maximum(tf.sum(weighted, 1, true), MIX_EPS)) as tf.Tensor2D;
  return { probs, logits: tf.log(tf.maximum(probs, MIX_EPS)) as tf.Tensor2D, alpha };
}

/** The fixed equal-weight average of the experts' probabilities (the "average" baseline). */
export function averageProbs(probs: readonly tf.Tensor2D[]): tf.Tensor2D {
  return tf.div(tf.addN(probs as tf.Tensor2D[]), probs.length) as tf.Tensor2D;
}
