/**
 * The training step: `lpt run`'s phase executor and `npm run bench` both run this function, so
 * the benchmark times what a run executes. Per batch stream: the query q(x) without gradient
 * (when a pool is active), then inside the gradient the prompted pass and the head; the weighted
 * loss terms; one optimiser update of exactly the trainable variables. A non-finite loss throws
 * DivergedError before any update. With a micro-batch, each stream runs in slices whose
 * gradients add up before the one update (gradient accumulation, micro_batch.ts): the same
 * update, holding one slice's activations at a time.
 */
import type { LossBatch } from '../../plan/enums.ts';
import { UserError } from '../errors.ts';
import * as tf from '@tensorflow/tfjs-core';
import { applyHead, dropoutMultiplier } from '../model/head.ts';
import {
  forwardPrefix,
  forwardPrompted,
  type LptModel,
  type Prefix,
  promptedFromPrefix,
  sharedPrefixBlocks,
  trainableVariables,
} from '../model/lpt_model.ts';
import { queryOf, type QuerySource } from '../model/query.ts';
import { type ExpertOutputs, mixture, type Scorer } from '../model/scorer.ts';
import { batchNoise } from './batch_noise.ts';
import type { NoiseSource } from './loss.ts';
import { microBatches, type RowRange } from './micro_batch.ts';
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

/**
 * One model (LPT), or several experts trained side by side on the same batches (LPT++).
 * `microBatch` splits each stream into micro-batches of at most that many rows whose gradients
 * add up to the whole batch's before the one update (default: the whole batch at once).
 */
export type TrainStepConfig = StepCommon & { readonly microBatch?: number } & (
    { readonly model: LptModel; readonly queries: QuerySource } | { readonly experts: readonly StepExpert[] }
  );

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
  const tag = (e: StepExpert) => (e.name === null ? [] : [e.name]);
  return async (batches, key, lr) => {
    assertStreams(labelled, batches);
    // Random draws are made for the whole batch and read by rows, so a split step draws the same.
    const perStream = <T>(make: (e: StepExpert, name: StreamName, rows: number) => T) =>
      experts.map((e) => new Map([...batches].map(([name, b]) => [name, make(e, name, b.labels.length)])));
    const masks = perStream((e, name, rows) =>
      dropoutMultiplier(e.model.head!, rows, e.model.backbone.config.dim, dropoutSeed(key, name, e.name)),
    );
    const noises = perStream((e, name, rows) =>
      batchNoise(createRng(key.seed, 'gcl', key.phase, key.epoch, key.step, name, ...tag(e)), rows),
    );
    const sizes = new Map([...batches].map(([name, b]) => [name, b.labels.length]));
    const sum = emptySum(labelled.length);
    try {
      for (const part of microBatches(sizes, config.microBatch)) {
        const slices = new Map([...part].map(([name, range]) => [name, sliceBatch(batches.get(name)!, range)]));
        const held: tf.Tensor[] = [...slices].filter(([name, b]) => b.x !== batches.get(name)!.x).map(([, b]) => b.x);
        try {
          const inputs = await promptedInputs(experts, prefixBlocks, slices, held);
          await accumulate(sum, config.trainable, labelled, key, part, () => {
            const outputs = experts.map(
              (e, i) =>
                new Map(
                  [...slices].map(([name, batch]): [StreamName, StreamOutput] => {
                    const range = part.get(name)!;
                    const { from, query } = inputs[i]!.get(name)!;
                    const { features, selection } =
                      from !== null && query !== null
                        ? promptedFromPrefix(e.model, from, query)
                        : forwardPrompted(e.model, batch.x, query);
                    const mask = masks[i]!.get(name)!;
                    const dropped = mask === null ? features : tf.mul(features, rowsOf(mask, range));
                    return [
                      name,
                      {
                        logits: applyHead(e.model.head!, dropped, false),
                        labels: batch.labels,
                        selectedSimilarity: selection?.selectedSimilarity ?? null,
                        noise: noises[i]!.get(name)!(range),
                      },
                    ];
                  }),
                ),
            );
            return labelled.map(({ expert }) => outputs[experts.indexOf(expert)]!);
          });
        } finally {
          tf.dispose(held);
        }
      }
      return update(sum, config.optimizer, labelled, key, lr);
    } finally {
      tf.dispose([...masks.flatMap((m) => [...m.values()]).filter((t) => t !== null), ...Object.values(sum.grads)]);
    }
  };
}

/** The rows of a micro-batch (the batch itself when it is one micro-batch). */
function sliceBatch(b: StreamBatch, { start, end }: RowRange): StreamBatch {
  if (start === 0 && end === b.labels.length) return b;
  return {
    x: tf.slice(b.x, [start, 0, 0, 0], [end - start, -1, -1, -1]),
    labels: b.labels.subarray(start, end),
    indices: b.indices.subarray(start, end),
  };
}

function rowsOf(t: tf.Tensor2D, { start, end }: RowRange): tf.Tensor2D {
  return start === 0 && end === t.shape[0] ? t : tf.slice(t, [start, 0], [end - start, -1]);
}

/**
 * Per expert and stream: the shared prefix's tokens and the query, both outside the gradient
 * (the query is a constant of the loss). Every tensor made is added to `held`.
 */
async function promptedInputs(
  experts: readonly StepExpert[],
  prefixBlocks: readonly number[],
  slices: ReadonlyMap<StreamName, StreamBatch>,
  held: tf.Tensor[],
): Promise<Map<StreamName, { from: Prefix | null; query: tf.Tensor2D | null }>[]> {
  const inputs: Map<StreamName, { from: Prefix | null; query: tf.Tensor2D | null }>[] = [];
  for (const [i, e] of experts.entries()) {
    const perStream = new Map<StreamName, { from: Prefix | null; query: tf.Tensor2D | null }>();
    for (const [name, b] of slices) {
      const blocks = prefixBlocks[i]!;
      const from = blocks === 0 ? null : tf.tidy(() => forwardPrefix(e.model, b.x, blocks).tokens);
      if (from !== null) held.push(from);
      const prefix = from === null ? null : { tokens: from, blocks };
      const query = e.model.pool === null ? null : await queryOf(e.model, b.x, b.indices, e.queries, prefix);
      if (query !== null) held.push(query);
      perStream.set(name, { from: prefix, query });
    }
    inputs.push(perStream);
  }
  return inputs;
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

/** The scorer phase's step (never split: its inputs are small): the loss terms read the mixture's log-probabilities as logits. */
export function createScorerStep(config: StepCommon & { readonly scorer: Scorer }): ScorerStep {
  const labelled = config.terms.map((term) => ({ term, label: term.label }));
  return async (batches, key, lr) => {
    assertStreams(labelled, batches);
    const whole = new Map([...batches].map(([name, b]) => [name, { start: 0, end: b.labels.length, share: 1 }]));
    const sum = emptySum(labelled.length);
    try {
      await accumulate(sum, config.trainable, labelled, key, whole, () => {
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
      return update(sum, config.optimizer, labelled, key, lr);
    } finally {
      tf.dispose(Object.values(sum.grads));
    }
  };
}

type Labelled = readonly { readonly term: StepLossTerm; readonly label: string }[];

function assertStreams(labelled: Labelled, batches: ReadonlyMap<StreamName, unknown>): void {
  for (const { term } of labelled)
    if (!batches.has(term.stream))
      throw new Error(`a loss term reads the '${term.stream}' stream, which the step was not given`);
}

/** A step's loss values (total, then per term) and gradients, summed over its micro-batches. */
interface StepSum {
  readonly values: number[];
  readonly grads: tf.NamedTensorMap;
}

function emptySum(terms: number): StepSum {
  return { values: new Array<number>(terms + 1).fill(0), grads: {} };
}

/**
 * One micro-batch's gradient, added to `sum`: `forward` gives, per loss term, the stream outputs
 * the term reads; each term is weighted by its stream's share of the rows (a term whose stream
 * has no rows here adds nothing) and the sum is differentiated w.r.t. exactly `trainable`.
 */
async function accumulate(
  sum: StepSum,
  trainable: readonly tf.Variable[],
  labelled: Labelled,
  key: StepKey,
  part: ReadonlyMap<StreamName, RowRange>,
  forward: () => ReadonlyMap<StreamName, StreamOutput>[],
): Promise<void> {
  const kept: tf.Scalar[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const perTerm = forward();
    let total: tf.Scalar = tf.scalar(0);
    labelled.forEach(({ term }, i) => {
      const range = part.get(term.stream);
      if (range === undefined) {
        kept.push(tf.keep(tf.scalar(0)));
        return;
      }
      const value = term.value(perTerm[i]!.get(term.stream)!);
      const v = range.share === 1 ? value : (tf.mul(value, range.share) as tf.Scalar);
      kept.push(tf.keep(v));
      total = tf.add(total, tf.mul(v, term.weight(key.epoch)));
    });
    return total;
  }, trainable as tf.Variable[]);
  try {
    const values = [...(await value.data()), ...(await Promise.all(kept.map((t) => t.data()))).map((d) => d[0]!)];
    values.forEach((v, i) => (sum.values[i]! += v));
    for (const [name, g] of Object.entries(grads)) {
      const before = sum.grads[name];
      sum.grads[name] = before === undefined ? g : tf.add(before, g);
      if (before !== undefined) tf.dispose([before, g]);
    }
  } catch (error) {
    tf.dispose(Object.values(grads));
    throw error;
  } finally {
    tf.dispose([value, ...kept]);
  }
}

/** The optimiser update from the summed gradients; a non-finite loss throws DivergedError first. */
function update(sum: StepSum, optimizer: Optimizer, labelled: Labelled, key: StepKey, lr: number): StepLosses {
  const losses: StepLosses = { total: sum.values[0]! };
  labelled.forEach(({ label }, i) => (losses[label] = sum.values[i + 1]!));
  if (!Number.isFinite(losses.total)) {
    const described = labelled.map(({ label }) => `${label} = ${losses[label]}`).join(', ');
    throw new DivergedError(
      `training diverged in phase '${key.phase}', epoch ${key.epoch + 1}, step ${key.step + 1}: the loss is ${losses.total} (${described})`,
    );
  }
  optimizer.apply(sum.grads, lr);
  return losses;
}
