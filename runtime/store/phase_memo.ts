/**
 * Phases shared by the plans of one run. The variants of an ablation often train the same first
 * phases (LPT++'s single-expert, average and mixture rows train identical experts and differ only
 * in the scorer's phase and the evaluation). After a plan finishes a phase, its module tensors are
 * kept under a key of everything that determines them: the seed, classes, backend, data,
 * backbones, the experts' modules (the scorer only once a phase has trained it) and the phases so
 * far. A later plan of the same run whose first phases have the same key starts from those
 * tensors instead of training them again. Training is a function of the plan (batches, dropout
 * and noise are keyed by (seed, phase, epoch, step)), so the result equals training them anew
 * (test/runtime/run/phase_reuse.test.ts). The memo lives in memory only: a resumed run trains
 * what it does not find, with the same result.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan } from '../../plan/plan.ts';
import type { StableNames } from './resume.ts';

interface SavedTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

interface Snapshot {
  /** The variant that trained the phases. */
  readonly from: string;
  readonly tensors: ReadonlyMap<string, SavedTensor>;
}

export interface ReusedPhases {
  /** How many of the plan's first phases the snapshot covers. */
  readonly count: number;
  readonly from: string;
}

/** What determines the module tensors after the plan's first `count` phases. */
export function phasePrefixKey(plan: Plan, count: number): string {
  const phases = plan.phases.slice(0, count);
  const trained = new Set(phases.flatMap((p) => p.trainable));
  const scorer = plan.modules.scorer;
  const modules = { ...plan.modules, scorer: scorer !== null && trained.has(scorer.name) ? scorer : null };
  return JSON.stringify({
    seed: plan.seed,
    classes: plan.classes,
    backend: plan.backend,
    data: plan.data,
    backbones: plan.backbones,
    modules,
    phases,
  });
}

export class PhaseMemo {
  private readonly snapshots = new Map<string, Snapshot>();

  /**
   * Keeps the tensors after the plan's first `count` phases. `untouched` names tensors the key
   * leaves out (an untrained scorer's), which a later plan keeps at its own initial values.
   */
  async remember(
    plan: Plan,
    count: number,
    from: string,
    names: StableNames,
    untouched: ReadonlySet<string>,
  ): Promise<void> {
    const key = phasePrefixKey(plan, count);
    if (this.snapshots.has(key)) return;
    const tensors = new Map<string, SavedTensor>();
    for (const [name, variable] of names.tensors) {
      if (!untouched.has(name))
        tensors.set(name, { shape: [...variable.shape], data: (await variable.data()) as Float32Array });
    }
    this.snapshots.set(key, { from, tensors });
  }

  /** Assigns the tensors of the longest remembered prefix of the plan's phases and says how many phases it covers; null when none matches. */
  restoreLongest(plan: Plan, names: StableNames): ReusedPhases | null {
    for (let count = plan.phases.length; count >= 1; count--) {
      const snapshot = this.snapshots.get(phasePrefixKey(plan, count));
      if (snapshot === undefined) continue;
      for (const [name, saved] of snapshot.tensors) {
        const variable = names.tensors.get(name);
        if (variable === undefined || variable.shape.join(',') !== saved.shape.join(',')) {
          throw new Error(`phase reuse: tensor '${name}' of the same phases differs in this plan`);
        }
        tf.tidy(() => variable.assign(tf.tensor(saved.data, [...saved.shape], 'float32')));
      }
      return { count, from: snapshot.from };
    }
    return null;
  }
}
