/**
 * What trains a phase: the scorer's runner over its frozen experts, or the runner of the expert
 * modules the phase names, each with the optimiser over exactly the variables it trains.
 */
import type { PlanPhase } from '../../plan/plan.ts';
import { expertByName, namesEachExpert } from '../build/ensemble.ts';
import { slotsOf } from '../build/experts.ts';
import type { PreparedSplit } from '../build/splits.ts';
import { deterministicTransforms } from '../build/streams.ts';
import { trainableVariables, type LptModel, type ModuleName } from '../model/lpt_model.ts';
import { COMPUTE_QUERIES, type QuerySource } from '../model/query.ts';
import { QueryCache } from '../model/query_cache.ts';
import { scorerVariables } from '../model/scorer.ts';
import type { Optimizer } from '../train/optim.ts';
import { createOptimizer, createPhaseRunner, type PhaseRunner } from './phase.ts';
import { expertView, type PlanRun, temperaturesOf } from './plan_run.ts';
import { createScorerPhaseRunner } from './scorer_phase.ts';

export interface PhaseSetup {
  readonly runner: PhaseRunner;
  readonly optimizer: Optimizer;
}

export async function setUpPhase(run: PlanRun, phase: PlanPhase): Promise<PhaseSetup> {
  const scorer = run.plan.modules.scorer;
  return scorer !== null && phase.trainable.includes(scorer.name)
    ? await setUpScorerPhase(run, phase)
    : setUpExpertPhase(run, phase);
}

async function setUpScorerPhase(run: PlanRun, phase: PlanPhase): Promise<PhaseSetup> {
  const { plan, ensemble } = run;
  if (phase.trainable.length > 1) throw new Error(`phase '${phase.name}' trains the scorer with other modules`);
  const scorer = ensemble.scorer!;
  const trainable = scorerVariables(scorer);
  const optimizer = createOptimizer(phase, trainable);
  const experts = plan.modules.scorer!.experts.map((name) => expertView(run, expertByName(ensemble, name)!));
  const temperatures = await temperaturesOf(run, experts);
  const runner = createScorerPhaseRunner({
    plan,
    phase,
    experts,
    scorer,
    trainable,
    optimizer,
    train: run.data.of(phase),
    // A shortened run reads a few batches: filling the cache would run the experts over every image.
    cache: phase.frozenExperts?.outputs === 'cache' && run.options.limit === undefined,
    ...(temperatures ? { temperatures } : {}),
  });
  return { optimizer, runner };
}

function setUpExpertPhase(run: PlanRun, phase: PlanPhase): PhaseSetup {
  const { plan, ensemble } = run;
  const train = run.data.of(phase);
  const named = namesEachExpert(ensemble);
  const members = ensemble.experts.flatMap((e) => {
    const modules = phase.trainable.flatMap((m) => slotsOf(e.slots, m));
    if (modules.length === 0) return [];
    const model = expertView(run, e);
    const queries = run.settings.queryCache ? queriesFor(model, modules, train) : COMPUTE_QUERIES;
    return [{ name: named ? e.plan.name : null, model, modules, queries }];
  });
  const trainable = members.flatMap((m) => trainableVariables(m.model, m.modules));
  const optimizer = createOptimizer(phase, trainable);
  const microBatch = run.microBatches[plan.phases.indexOf(phase)]!.microBatch;
  return {
    optimizer,
    runner: createPhaseRunner({ plan, phase, experts: members, trainable, optimizer, train, microBatch }),
  };
}

/**
 * Phase 2's query pass is a fixed function of the image while the shared prompt and adapters are
 * frozen and the training images are not randomly augmented: then each image's query is computed
 * once per phase instead of once per step (docs/PERFORMANCE.md).
 */
function queriesFor(view: LptModel, trained: readonly ModuleName[], train: PreparedSplit): QuerySource {
  if (
    view.pool === null ||
    trained.includes('shared') ||
    trained.includes('adapters') ||
    !deterministicTransforms(train)
  )
    return COMPUTE_QUERIES;
  return { kind: 'cache', cache: new QueryCache(train.dataset.labels.length, view.backbone.config.dim) };
}
