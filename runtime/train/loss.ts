/**
 * The classification losses by name, for the phase executor: a LossSpec (plain data from the
 * Plan, defaults resolved there or here) plus the batch's logits, labels, the training class
 * counts and the GCL noise source gives a scalar. The matching term (LPT phase 2) takes
 * query-key similarities rather than logits and is called directly (losses/matching.ts).
 * All losses expect tfjs gradients to be registered (runtime/backend/gradients.ts).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { agclLoss } from './losses/asymmetric.ts';
import type { Labels } from './losses/common.ts';
import { crossEntropy } from './losses/cross_entropy.ts';
import { focalLoss } from './losses/focal.ts';
import { type NoiseSource, gclLoss } from './losses/gcl.ts';
import { logitAdjustedLoss } from './losses/logit_adjusted.ts';

export { agclLoss, asymmetricLoss, BALANCED_BATCH_GAMMAS, INSTANCE_BATCH_GAMMAS } from './losses/asymmetric.ts';
export { crossEntropy } from './losses/cross_entropy.ts';
export { focalLoss } from './losses/focal.ts';
export { cloudSizes, cloudedLogits, gclLoss, GCL_NOISE_STD, type NoiseSource } from './losses/gcl.ts';
export { balancedSoftmaxLoss, logitAdjustedLoss, logPrior } from './losses/logit_adjusted.ts';
export { matchingTerm } from './losses/matching.ts';
export type { Labels } from './losses/common.ts';

export type LossSpec =
  | { readonly kind: 'ce'; readonly scale?: number; readonly labelSmoothing?: number }
  | { readonly kind: 'gcl'; readonly scale?: number; readonly lambda?: number; readonly margin?: number }
  | {
      readonly kind: 'agcl';
      readonly scale?: number;
      readonly lambda?: number;
      readonly margin?: number;
      readonly gammaPos?: number;
      readonly gammaNeg?: number;
      readonly smoothing?: number;
    }
  | { readonly kind: 'focal'; readonly scale?: number; readonly gamma?: number }
  /** Balanced softmax is tau = 1. */
  | { readonly kind: 'logitAdjusted'; readonly scale?: number; readonly tau?: number };

export interface LossInputs {
  /** [B, C]: cosine logits for a cosine head (the spec's scale applies), raw logits otherwise. */
  readonly logits: tf.Tensor2D;
  readonly labels: Labels;
  /** [C] training images per class. */
  readonly counts: ArrayLike<number>;
  /** Needed by gcl and agcl. */
  readonly noise?: NoiseSource;
}

function needNoise(inputs: LossInputs, kind: string): NoiseSource {
  if (!inputs.noise) throw new Error(`loss '${kind}' needs a noise source (a tensor or an rng)`);
  return inputs.noise;
}

export function classificationLoss(spec: LossSpec, inputs: LossInputs): tf.Scalar {
  const { logits, labels, counts } = inputs;
  switch (spec.kind) {
    case 'ce':
      return crossEntropy(logits, labels, spec);
    case 'gcl':
      return gclLoss(logits, labels, counts, needNoise(inputs, spec.kind), spec);
    case 'agcl':
      return agclLoss(logits, labels, counts, needNoise(inputs, spec.kind), spec);
    case 'focal':
      return focalLoss(logits, labels, spec);
    case 'logitAdjusted':
      return logitAdjustedLoss(logits, labels, counts, spec);
  }
}
