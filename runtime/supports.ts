/**
 * What the runtime can run, as data: `supports(plan)` lists every construct of a plan that
 * `lpt run` would refuse, each naming the plan entity that carries it. The compiler points each at
 * its declaration (code 5001) before any data loads, and the executor checks every plan it runs
 * (runtime/run/assert_supported.ts), so the code behind the check may take these rows as given.
 * Imports only the plan contract (no tfjs): the compiler calls it. When the runtime learns a
 * construct, delete its row here.
 */
import type { Plan, PlanExpert } from '../plan/plan.ts';

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

/** A name the plan uses but does not define (the compiler never emits one; a plan from elsewhere may). */
const missingReferences: Refusal = (plan) => {
  const problems: SupportProblem[] = [];
  const refuse = (entity: PlanEntity, reason: string) => problems.push({ entity, reason });
  const has = (list: readonly { readonly name: string }[], name: string) => list.some((x) => x.name === name);
  const splits = plan.data.splits;
  if (!has(splits, 'train')) refuse({ kind: 'experiment', name: plan.experiment }, "it has no 'train' split");
  for (const p of plan.phases)
    if (p.split !== undefined && !has(splits, p.split))
      refuse(
        { kind: 'phase', name: p.name, setting: 'split' },
        `it trains on split '${p.split}', which is not in the plan`,
      );
  for (const e of plan.evaluation)
    if (!has(splits, e.split)) refuse({ kind: 'evaluation', name: e.split }, 'the plan has no split of that name');
  const scorer = plan.modules.scorer;
  if (scorer !== null) {
    const calibration = scorer.calibration?.split;
    if (calibration !== undefined && !has(splits, calibration))
      refuse(
        { kind: 'scorer', name: scorer.name },
        `it calibrates on split '${calibration}', which is not in the plan`,
      );
    for (const name of scorer.experts)
      if (!has(plan.modules.experts, name))
        refuse({ kind: 'scorer', name: scorer.name }, `it mixes expert '${name}', which is not in the plan`);
  }
  for (const e of plan.modules.experts) {
    if (!has(plan.backbones, e.backbone))
      refuse({ kind: 'expert', name: e.name }, `its backbone '${e.backbone}' is not in the plan`);
    if (!has(plan.modules.heads, e.head))
      refuse({ kind: 'expert', name: e.name }, `its head '${e.head}' is not in the plan`);
  }
  return problems;
};

/** The plan modules an expert is built from: its prompt, pool, adapters and head. */
const modulesOf = (e: PlanExpert): readonly string[] => [...e.prompts, ...e.pools, ...e.adapters, e.head];

/**
 * The matching loss reads the top-k key similarities of a prompt pool, so each expert a phase with
 * that loss trains needs a pool that is active then: trained by this phase or an earlier one (a
 * module joins the forward pass once it is trained). A scorer phase has no pool at all.
 */
const matchingWithoutPool: Refusal = (plan) =>
  plan.phases.flatMap((phase, index) => {
    if (!phase.loss.some((term) => term.loss === 'matching')) return [];
    const scorer = plan.modules.scorer;
    const entity = { kind: 'phase', name: phase.name, setting: 'loss' } as const;
    if (scorer !== null && phase.trainable.includes(scorer.name))
      return [{ entity, reason: 'its matching loss needs a prompt pool, and the scorer has none' }];
    const active = new Set(plan.phases.slice(0, index + 1).flatMap((p) => p.trainable));
    return plan.modules.experts
      .filter((e) => modulesOf(e).some((m) => phase.trainable.includes(m)))
      .filter((e) => e.pools[0] === undefined || !active.has(e.pools[0]))
      .map((e) => ({
        entity,
        reason: `its matching loss needs expert '${e.name}' to have a prompt pool trained by this phase or an earlier one`,
      }));
  });

const refusals: readonly Refusal[] = [
  missingReferences,
  matchingWithoutPool,
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
