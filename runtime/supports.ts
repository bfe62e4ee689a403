/**
 * What the runtime can run, as data: `supports(plan)` lists every construct of a plan that
 * `lpt run` would refuse, each naming the plan entity that carries it, so the compiler can point
 * at the declaration (code 5001) before any data loads. The throws in runtime/run/ stay as
 * internal assertions behind this check. Imports only the plan contract (no tfjs): the compiler
 * calls it. When the runtime learns a construct, delete its row here.
 */
import type { Plan } from '../plan/plan.ts';

/** The plan entity a problem is about: a module (by its kind), a phase, an evaluation, or the plan itself. */
export interface PlanEntity {
  readonly kind: 'expert' | 'scorer' | 'head' | 'prompt' | 'pool' | 'adapter' | 'phase' | 'evaluation' | 'experiment';
  /** The entity's name in the plan (for an evaluation: its split). */
  readonly name: string;
  /** For a phase: the setting at fault ("loss"), when it is narrower than the phase. */
  readonly setting?: string;
}

export interface SupportProblem {
  readonly entity: PlanEntity;
  /** Why the runtime refuses it, as a clause: "the runtime does not run an MoE scorer yet". */
  readonly reason: string;
}

/** The noise of the (A-)GCL logit cloud the runtime draws (runtime/train/losses/gcl.ts). */
const SUPPORTED_NOISE_STD = 1 / 3;

type Refusal = (plan: Plan) => readonly SupportProblem[];

const refusals: readonly Refusal[] = [
  (plan) => {
    const scorer = plan.modules.scorer;
    if (scorer === null) return [];
    return plan.phases
      .filter((phase) => phase.trainable.includes(scorer.name) && phase.trainable.length > 1)
      .map((phase) => ({
        entity: { kind: 'phase', name: phase.name },
        reason: `it trains the scorer '${scorer.name}' with other modules; the runtime trains the scorer in a phase of its own, on frozen experts`,
      }));
  },
  (plan) =>
    plan.modules.experts.flatMap((e) =>
      (['prompts', 'pools', 'adapters'] as const)
        .filter((kind) => e[kind].length > 1)
        .map((kind) => ({
          entity: { kind: 'expert', name: e.name },
          reason: `it has ${e[kind].length} ${kind}; the runtime supports one of each per expert`,
        })),
    ),
  (plan) =>
    plan.modules.experts.flatMap((e) =>
      plan.modules.pools
        .filter((pool) => e.pools.includes(pool.name) && pool.query !== null && pool.query !== (e.prompts[0] ?? null))
        .map((pool) => ({
          entity: { kind: 'pool', name: pool.name },
          reason: `its query must be the shared prompt of its own expert '${e.name}' for the runtime`,
        })),
    ),
  (plan) =>
    plan.evaluation.length === 0
      ? [
          {
            entity: { kind: 'experiment', name: plan.experiment },
            reason: 'it evaluates nothing, and the runtime needs one evaluate block',
          },
        ]
      : [],
  (plan) =>
    plan.evaluation
      .filter((e) => !plan.modules.experts.some((x) => x.name === e.model) && plan.modules.scorer?.name !== e.model)
      .map((e) => ({
        entity: { kind: 'evaluation', name: e.split },
        reason: `it evaluates '${e.model}', which is neither an expert nor the scorer of the plan`,
      })),
  (plan) =>
    plan.phases.flatMap((phase) =>
      phase.loss
        .filter(
          (term) =>
            term.args['noise_std'] !== undefined && Math.abs(term.args['noise_std'] - SUPPORTED_NOISE_STD) > 1e-9,
        )
        .map((term) => ({
          entity: { kind: 'phase', name: phase.name, setting: 'loss' },
          reason: `${term.loss}(noise_std: ${term.args['noise_std']}) is not supported; the runtime draws the logit cloud with noise_std 1/3`,
        })),
    ),
];

/** Every construct of `plan` the runtime would refuse; empty when `lpt run` can run it. */
export function supports(plan: Plan): readonly SupportProblem[] {
  return refusals.flatMap((refuse) => refuse(plan));
}
