/**
 * The training step: `lpt run`'s phase executor and `npm run bench` both run this function, so
 * the benchmark times what a run executes. Per batch stream: the query q(x) without gradient
 * (when a pool is active), then inside the gradient the prompted pass and the head; the weighted
 * loss terms; one optimiser update of exactly the trainable variables. A non-finite loss throws
 * DivergedError before any update.
 */
import type { LossBatch } from '../../plan/enums.ts';
import { UserError } from '../errors.ts';
import * as tf from '@tensorflow/tfjs-core';
import { applyHead } from '../model/head.ts';
import {
  forwardPrefix,
  forwardPrompted,
  type LptModel,
  promptedFromPrefix,
  sharedPrefixBlocks,
  trainableVariables,
} from '../model/lpt_model.ts';
import { queryOf, type QuerySource } from '../model/query.ts';
import { type ExpertOutputs, mixture, type Scorer } from '../model/scorer.ts';
import type { NoiseSource } from './loss.ts';
import type { Optimizer } from './optim.ts';
import { createRng } from './rng.ts';

/** Class-aware 'cb', instance 'ib' and square-root 'sqrt' batch streams. */
export type StreamName = LossBatch;

export interface StreamBatch {
  readonly x: tf.Tensor4D;
  readonly labels: Int32Array;
  /** Dataset index of each row. */
  readonly indices: Int32Array;
}

/** What a loss term sees of one stream's forward pass. */
export interface StreamOutput {
  /** [B, C] head outputs (cosine similarities for a cosine head). */
  readonly logits: tf.Tensor2D;
  readonly labels: Int32Array;
  /** [B, k] query-key cosines of the selected pool entries, when a pool is active. */
  readonly selectedSimilarity: tf.Tensor2D | null;
  readonly noise: NoiseSource;
}

export interface StepLossTerm {
  /** Its name in progress lines and step events. */
  readonly label: string;
  readonly stream: StreamName;
  /** The unweighted value on the stream's output. */
  value(out: StreamOutput): tf.Scalar;
  weight(epoch: number): number;
}

/** One expert of a step: its model (the phase's view of it) and where its queries come from. */
export interface StepExpert {
  /** Null for a plan's only expert; with several, it names their loss terms and random draws. */
  readonly name: string | null;
  readonly model: LptModel;
  readonly queries: QuerySource;
  /** Its loss terms (they depend on its head's scale); default: the config's terms. */
  readonly terms?: readonly StepLossTerm[];
}

interface StepCommon {
  readonly trainable: readonly tf.Variable[];
  readonly optimizer: Optimizer;
  readonly terms: readonly StepLossTerm[];
}

/** One model (LPT), or several experts trained side by side on the same batches (LPT++). */
export type TrainStepConfig = StepCommon &
  ({ readonly model: LptModel; readonly queries: QuerySource } | { readonly experts: readonly StepExpert[] });

/** Every random draw of a step (dropout, GCL noise) is keyed by these. */
export interface StepKey {
  readonly seed: number;
  readonly phase: string;
  readonly epoch: number;
  readonly step: number;
}

export type StepLosses = Record<string, number>;

/** Runs one step on the given batches (which stay the caller's) with learning rate `lr`. */
export type TrainStep = (
  batches: ReadonlyMap<StreamName, StreamBatch>,
  key: StepKey,
  lr: number,
) => Promise<StepLosses>;

export class DivergedError extends UserError {
  override readonly name = 'DivergedError';
}

/**
 * The seed of a stream's dropout mask in a step. Each stream draws its own mask, as two separate
 * forward passes do in the authors' code (a class-balanced and an instance batch of a dual step);
 * with several experts, each expert's too.
 */
export function dropoutSeed(key: StepKey, stream: StreamName, expert: string | null = null): number {
  return createRng(
    key.seed,
    'dropout',
    key.phase,
    key.epoch,
    key.step,
    stream,
    ...(expert === null ? [] : [expert]),
  ).int(2 ** 31);
}

export function createTrainStep(config: TrainStepConfig): TrainStep {
  const experts: readonly StepExpert[] =
    'experts' in config ? config.experts : [{ name: null, model: config.model, queries: config.queries }];
  for (const e of experts) if (e.model.head === null) throw new Error('a training step needs a head');
  const label = (e: StepExpert, term: StepLossTerm) => (e.name === null ? term.label : `${e.name}:${term.label}`);
  const labelled = experts.flatMap((e) =>
    (e.terms ?? config.terms).map((term) => ({ expert: e, term, label: label(e, term) })),
  );
  // Blocks before the pool's first block are shared by the query and the prompted pass when
  // nothing in them trains (the shared prompt and adapters are frozen): computed once, outside
  // the gradient, like the query.
  const prefixBlocks = experts.map((e) =>
    trainableVariables(e.model, ['shared', 'adapters']).some((v) => config.trainable.includes(v))
      ? 0
      : sharedPrefixBlocks(e.model),
  );
  return async (batches, key, lr) => {
    const prefixes = experts.map(
      (e, i) =>
        new Map(
          [...batches].map(([name, b]) => [
            name,
            prefixBlocks[i] === 0 ? null : tf.tidy(() => forwardPrefix(e.model, b.x, prefixBlocks[i]!).tokens),
          ]),
        ),
    );
    const prefixOf = (i: number, name: StreamName) => {
      const tokens = prefixes[i]!.get(name) ?? null;
      return tokens === null ? null : { tokens, blocks: prefixBlocks[i]! };
    };
    // The query is a constant of the loss: computed outside the gradient closure.
    const queries: Map<StreamName, tf.Tensor2D | null>[] = [];
    for (const [i, e] of experts.entries()) {
      const perStream = new Map<StreamName, tf.Tensor2D | null>();
      for (const [name, b] of batches)
        perStream.set(
          name,
          e.model.pool === null ? null : await queryOf(e.model, b.x, b.indices, e.queries, prefixOf(i, name)),
        );
      queries.push(perStream);
    }
    const tag = (e: StepExpert) => (e.name === null ? [] : [e.name]);
    try {
      return await optimise(config, labelled, key, lr, () => {
        const outputs = experts.map(
          (e, i) =>
            new Map(
              [...batches].map(([name, batch]): [StreamName, StreamOutput] => {
                const from = prefixOf(i, name);
                const q = queries[i]!.get(name) ?? null;
                const { features, selection } =
                  from !== null && q !== null
                    ? promptedFromPrefix(e.model, from, q)
                    : forwardPrompted(e.model, batch.x, q);
                return [
                  name,
                  {
                    logits: applyHead(e.model.head!, features, true, dropoutSeed(key, name, e.name)),
                    labels: batch.labels,
                    selectedSimilarity: selection?.selectedSimilarity ?? null,
                    noise: { rng: createRng(key.seed, 'gcl', key.phase, key.epoch, key.step, name, ...tag(e)) },
                  },
                ];
              }),
            ),
        );
        return labelled.map(({ expert }) => outputs[experts.indexOf(expert)]!);
      });
    } finally {
      tf.dispose([...queries, ...prefixes].flatMap((m) => [...m.values()]).filter((t) => t !== null));
    }
  };
}

/** One stream of a scorer step: the frozen experts' outputs on the batch (the caller's tensors). */
export interface ScorerBatch {
  readonly outputs: ExpertOutputs;
  readonly labels: Int32Array;
}

export type ScorerStep = (
  batches: ReadonlyMap<StreamName, ScorerBatch>,
  key: StepKey,
  lr: number,
) => Promise<StepLosses>;

/** The scorer phase's step: the loss terms read the mixture's log-probabilities as logits. */
export function createScorerStep(config: StepCommon & { readonly scorer: Scorer }): ScorerStep {
  const labelled = config.terms.map((term) => ({ term, label: term.label }));
  return (batches, key, lr) =>
    optimise(config, labelled, key, lr, () => {
      const outputs = new Map(
        [...batches].map(([name, b]): [StreamName, StreamOutput] => [
          name,
          {
            logits: mixture(config.scorer, b.outputs).logits,
            labels: b.labels,
            selectedSimilarity: null,
            noise: { rng: createRng(key.seed, 'gcl', key.phase, key.epoch, key.step, name) },
          },
        ]),
      );
      return labelled.map(() => outputs);
    });
}

/**
 * The gradient and the update, shared by both steps: `forward` gives, per loss term, the stream
 * outputs the term reads; the weighted sum is differentiated w.r.t. exactly `trainable`.
 */
async function optimise(
  { trainable, optimizer }: StepCommon,
  labelled: readonly { readonly term: StepLossTerm; readonly label: string }[],
  key: StepKey,
  lr: number,
  forward: () => ReadonlyMap<StreamName, StreamOutput>[],
): Promise<StepLosses> {
  const kept: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const perTerm = forward();
    let total: tf.Scalar = tf.scalar(0);
    labelled.forEach(({ term }, i) => {
      const out = perTerm[i]!.get(term.stream);
      if (out === undefined)
        throw new Error(`a loss term reads the '${term.stream}' stream, which the step was not given`);
      const v = term.value(out);
      kept.push(tf.keep(v));
      total = tf.add(total, tf.mul(v, term.weight(key.epoch)));
    });
    return total;
  }, trainable as tf.Variable[]);
  try {
    const values = [...(await value.data()), ...(await Promise.all(kept.map((t) => t.data()))).map((d) => d[0]!)];
    const losses: StepLosses = { total: values[0]! };
    labelled.forEach(({ label }, i) => (losses[label] = values[i + 1]!));
    if (!Number.isFinite(losses.total)) {
      const described = labelled.map(({ label }) => `${label} = ${losses[label]}`).join(', ');
      throw new DivergedError(
        `training diverged in phase '${key.phase}', epoch ${key.epoch + 1}, step ${key.step + 1}: the loss is ${losses.total} (${described})`,
      );
    }
    optimizer.apply(grads, lr);
    return losses;
  } finally {
    tf.dispose([value, ...kept, ...Object.values(grads)]);
  }
}
