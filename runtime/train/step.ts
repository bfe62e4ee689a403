/**
 * The training step: `lpt run`'s phase executor and `npm run bench` both run this function, so
 * the benchmark times what a run executes. Per batch stream: the query q(x) without gradient
 * (when a pool is active), then inside the gradient the prompted pass and the head; the weighted
 * loss terms; one optimiser update of exactly the trainable variables. A non-finite loss throws
 * DivergedError before any update.
 */
import * as tf from '@tensorflow/tfjs-core';
import { applyHead } from '../model/head.ts';
import { forwardPrompted, type LptModel } from '../model/lpt_model.ts';
import { queryOf, type QuerySource } from '../model/query.ts';
import type { NoiseSource } from './loss.ts';
import type { Optimizer } from './optim.ts';
import { createRng } from './rng.ts';

/** Class-aware 'cb', instance 'ib' and square-root 'sqrt' batch streams. */
export type StreamName = 'cb' | 'ib' | 'sqrt';

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

export interface TrainStepConfig {
  readonly model: LptModel;
  readonly trainable: readonly tf.Variable[];
  readonly optimizer: Optimizer;
  readonly terms: readonly StepLossTerm[];
  readonly queries: QuerySource;
}

/** Every random draw of a step (dropout, GCL noise) is keyed by these. */
export interface StepKey {
  readonly seed: number;
  readonly phase: string;
  readonly epoch: number;
  readonly step: number;
}

export type StepLosses = Record<string, number>;

/** Runs one step on the given batches (which stay the caller's) with learning rate `lr`. */
export type TrainStep = (batches: ReadonlyMap<StreamName, StreamBatch>, key: StepKey, lr: number) => Promise<StepLosses>;

export class DivergedError extends Error {
  override readonly name = 'DivergedError';
}

export function createTrainStep(config: TrainStepConfig): TrainStep {
  const { model, trainable, optimizer, terms, queries } = config;
  const head = model.head;
  if (head === null) throw new Error('a training step needs a head');
  return async (batches, key, lr) => {
    // The query is a constant of the loss: computed outside the gradient closure.
    const query = new Map([...batches].map(([name, b]) => [name, model.pool === null ? null : queryOf(model, b.x, b.indices, queries)]));
    const dropoutSeed = createRng(key.seed, 'dropout', key.phase, key.epoch, key.step).int(2 ** 31);
    const kept: tf.Scalar[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const outputs = new Map([...batches].map(([name, batch]): [StreamName, StreamOutput] => {
        const { features, selection } = forwardPrompted(model, batch.x, query.get(name) ?? null);
        return [name, {
          logits: applyHead(head, features, true, dropoutSeed),
          labels: batch.labels,
          selectedSimilarity: selection?.selectedSimilarity ?? null,
          noise: { rng: createRng(key.seed, 'gcl', key.phase, key.epoch, key.step, name) },
        }];
      }));
      const output = (name: StreamName): StreamOutput => {
        const out = outputs.get(name);
        if (out === undefined) throw new Error(`a loss term reads the '${name}' stream, which the step was not given`);
        return out;
      };
      let total: tf.Scalar = tf.scalar(0);
      for (const term of terms) {
        const v = term.value(output(term.stream));
        kept.push(tf.keep(v));
        total = tf.add(total, tf.mul(v, term.weight(key.epoch)));
      }
      return total;
    }, trainable as tf.Variable[]);
    try {
      const values = [...(await value.data()), ...(await Promise.all(kept.map((t) => t.data()))).map((d) => d[0]!)];
      const losses: StepLosses = { total: values[0]! };
      terms.forEach((term, i) => (losses[term.label] = values[i + 1]!));
      if (!Number.isFinite(losses.total)) {
        const described = terms.map((t) => `${t.label} = ${losses[t.label]}`).join(', ');
        throw new DivergedError(`training diverged in phase '${key.phase}', epoch ${key.epoch + 1}, step ${key.step + 1}: the loss is ${losses.total} (${described})`);
      }
      optimizer.apply(grads, lr);
      return losses;
    } finally {
      tf.dispose([value, ...kept, ...Object.values(grads), ...[...query.values()].filter((q) => q !== null)]);
    }
  };
}
