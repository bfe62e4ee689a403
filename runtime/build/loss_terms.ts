/**
 * The plan's loss, evaluated: a weighted sum of named terms, each on one batch stream
 * (class-aware 'cb', instance 'ib', square-root 'sqrt'). A term's weight may follow an epoch
 * schedule (dual sampling's decaying eta(e) is folded into the ib terms' weights by the compiler).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PlanLossTerm, PlanWeight } from '../../plan/plan.ts';
import { GCL_NOISE_STD, classificationLoss, type LossSpec } from '../train/loss.ts';
import type { StepLossTerm, StreamOutput } from '../train/step.ts';

/** weight(e) = scale * prod(from + (to - from) * e / epochs), e = 0..epochs-1. */
export function termWeight(w: PlanWeight, epoch: number, epochs: number): number {
  return w.linear.reduce((acc, { from, to }) => acc * (from + ((to - from) * epoch) / epochs), w.scale);
}

/** A short label for progress lines: "agcl", or "agcl:ib" when the loss uses several streams. */
export function termLabels(terms: readonly PlanLossTerm[]): string[] {
  const streams = new Set(terms.map((t) => t.batch));
  return terms.map((t) => (streams.size > 1 ? `${t.loss}:${t.batch}` : t.loss));
}

/** The classification loss spec of a term (null for the matching term). `scale` is the head's logit scale. */
export function lossSpec(term: PlanLossTerm, scale: number): LossSpec | null {
  const a = term.args;
  const arg = (name: string): number | undefined => a[name];
  const noiseStd = arg('noise_std');
  if (noiseStd !== undefined && Math.abs(noiseStd - GCL_NOISE_STD) > 1e-9)
    throw new Error(`loss '${term.loss}': noise_std ${noiseStd}, which supports() refuses`);
  switch (term.loss) {
    case 'ce':
      return { kind: 'ce', scale, labelSmoothing: arg('label_smoothing') ?? 0 };
    case 'gcl':
      return { kind: 'gcl', scale, lambda: arg('lambda'), margin: arg('margin') };
    case 'agcl':
      return {
        kind: 'agcl',
        scale,
        lambda: arg('lambda'),
        margin: arg('margin'),
        gammaPos: arg('gamma_pos'),
        gammaNeg: arg('gamma_neg'),
        smoothing: arg('label_smoothing'),
      };
    case 'focal':
      return { kind: 'focal', scale, gamma: arg('gamma') };
    case 'balanced_softmax':
      return { kind: 'logitAdjusted', scale, tau: 1 };
    case 'logit_adjust':
      return { kind: 'logitAdjusted', scale, tau: arg('tau') };
    case 'matching':
      return null;
  }
}

/** One term's value (unweighted). The matching term is the batch mean of the summed top-k cosines. */
export function termValue(
  term: PlanLossTerm,
  spec: LossSpec | null,
  out: StreamOutput,
  counts: ArrayLike<number>,
): tf.Scalar {
  if (spec !== null)
    return classificationLoss(spec, { logits: out.logits, labels: out.labels, counts, noise: out.noise });
  if (out.selectedSimilarity === null)
    throw new Error('the matching loss without an active prompt pool, which supports() refuses');
  return tf.mean(tf.sum(out.selectedSimilarity, 1));
}

/**
 * The plan's loss terms as the training step takes them. `scale` is the head's logit scale,
 * `counts` the training images per class, `epochs` the phase's length (for epoch schedules).
 */
export function stepLossTerms(
  terms: readonly PlanLossTerm[],
  scale: number,
  counts: ArrayLike<number>,
  epochs: number,
): StepLossTerm[] {
  const labels = termLabels(terms);
  return terms.map((term, i) => {
    const spec = lossSpec(term, scale);
    return {
      label: labels[i]!,
      stream: term.batch,
      value: (out) => termValue(term, spec, out, counts),
      weight: (epoch) => termWeight(term.weight, epoch, epochs),
    };
  });
}
