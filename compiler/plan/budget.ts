/**
 * The budget of a plan: trainable parameters per module and their share of the frozen backbones,
 * inference FLOPs per image, and per phase the FLOPs and activation memory of one training step.
 * A pure function of the plan's model and phases.
 */
import { inferenceFlops, trainingCost, type ExpertShape } from './flops.ts';
import type { ModelPath } from './step_memory.ts';
import type {
  PlanBackbone,
  PlanBudget,
  PlanExpert,
  PlanBudgetAssertion,
  PlanModuleBudget,
  PlanModules,
  PlanPhase,
  PlanPhaseBudget,
} from '../../plan/plan.ts';

export interface BudgetLimit {
  readonly metric: PlanBudgetAssertion['metric'];
  readonly op: PlanBudgetAssertion['op'];
  readonly limit: number;
}

export function computeBudget(
  backbones: readonly PlanBackbone[],
  modules: PlanModules,
  phases: readonly PlanPhase[],
  limits: readonly BudgetLimit[],
): PlanBudget {
  const trained = new Set(phases.flatMap((p) => p.trainable));
  const entries = moduleBudgets(modules, trained);
  const backboneParams = backbones.reduce((sum, b) => sum + b.params, 0);
  const trainableParams = entries.filter((e) => e.trained).reduce((sum, e) => sum + e.params, 0);
  const promptParams = entries
    .filter((e) => e.kind === 'prompt' || e.kind === 'pool' || e.kind === 'keys')
    .reduce((sum, e) => sum + e.params, 0);
  const sharePercent = backboneParams > 0 ? (100 * trainableParams) / backboneParams : 0;
  const shapes = new Map(modules.experts.map((e) => [e.name, expertShape(e.name, backbones, modules)]));
  const scorer = modules.scorer;
  const scorerFlops = scorer ? 2 * scorerMacs(scorer.params) : 0;
  const inference = scorer
    ? scorer.experts.reduce((sum, name) => sum + inferenceFlops(shapes.get(name)!), 0) + scorerFlops
    : modules.experts[0]
      ? inferenceFlops(shapes.get(modules.experts[0].name)!)
      : 0;
  const actual = { trainable: trainableParams, share: sharePercent, prompts: promptParams, flops: inference };
  return {
    backboneParams,
    trainableParams,
    sharePercent,
    promptParams,
    modules: entries,
    inferenceFlops: inference,
    experts: modules.experts.map((e) => ({
      name: e.name,
      backbone: e.backbone,
      trainableParams: expertModuleNames(e).reduce(
        (sum, m) =>
          sum +
          entries
            .filter((x) => x.trained && (x.name === m || x.name === `${m}.keys`))
            .reduce((n, x) => n + x.params, 0),
        0,
      ),
      inferenceFlops: inferenceFlops(shapes.get(e.name)!),
    })),
    phases: phases.map((phase) => phaseBudget(phase, shapes, entries, scorerFlops)),
    assertions: limits.map((l) => ({
      ...l,
      actual: actual[l.metric],
      ok: l.op === '<' ? actual[l.metric] < l.limit : actual[l.metric] <= l.limit,
    })),
  };
}

function expertModuleNames(e: PlanExpert): string[] {
  return [...e.prompts, ...e.pools, ...e.adapters, e.head];
}

function moduleBudgets(modules: PlanModules, trained: ReadonlySet<string>): PlanModuleBudget[] {
  const is = (name: string): boolean => trained.has(name);
  return [
    ...modules.prompts.map((p) => ({ name: p.name, kind: 'prompt' as const, params: p.params, trained: is(p.name) })),
    ...modules.pools.flatMap((p) => [
      { name: p.name, kind: 'pool' as const, params: p.params, trained: is(p.name) },
      {
        name: `${p.name}.keys`,
        kind: 'keys' as const,
        params: p.keyParams,
        trained: is(p.name) && p.keys === 'learned',
      },
    ]),
    ...modules.adapters.map((a) => ({ name: a.name, kind: 'adapter' as const, params: a.params, trained: is(a.name) })),
    ...modules.heads.map((h) => ({
      name: h.name,
      kind: 'head' as const,
      params: h.params,
      trained: is(h.name) && h.params > 0,
    })),
    ...(modules.scorer
      ? [
          {
            name: modules.scorer.name,
            kind: 'scorer' as const,
            params: modules.scorer.params,
            trained: is(modules.scorer.name),
          },
        ]
      : []),
  ];
}

function expertShape(name: string, backbones: readonly PlanBackbone[], modules: PlanModules): ExpertShape {
  const expert = modules.experts.find((e) => e.name === name)!;
  const head = modules.heads.find((h) => h.name === expert.head);
  return {
    backbone: backbones.find((b) => b.name === expert.backbone)!,
    prompts: modules.prompts.filter((p) => expert.prompts.includes(p.name)),
    pools: modules.pools.filter((p) => expert.pools.includes(p.name)),
    adapters: modules.adapters.filter((a) => expert.adapters.includes(a.name)),
    ...(head ? { head } : {}),
  };
}

/** The scorer's MLP has about as many multiply-adds per input as parameters. */
function scorerMacs(params: number): number {
  return params;
}

function phaseBudget(
  phase: PlanPhase,
  shapes: ReadonlyMap<string, ExpertShape>,
  entries: readonly PlanModuleBudget[],
  scorerFlops: number,
): PlanPhaseBudget {
  const trained = new Set(phase.trainable);
  const images = phaseImages(phase);
  let flops = 0;
  for (const shape of stepExperts(phase, shapes)) flops += trainingCost(shape, trained).flops;
  const scorerTrained = entries.some((e) => e.kind === 'scorer' && trained.has(e.name));
  if (scorerTrained) flops += 3 * scorerFlops;
  const trainableParams = entries
    .filter((e) => (e.kind === 'keys' ? e.trained && trained.has(e.name.replace(/\.keys$/, '')) : trained.has(e.name)))
    .reduce((sum, e) => sum + e.params, 0);
  return {
    phase: phase.name,
    trainableParams,
    flopsPerStep: flops * images,
    activationBytes: imageBytes(phase, shapes, 'native') * images,
    bytesPerImage: { native: imageBytes(phase, shapes, 'native'), ops: imageBytes(phase, shapes, 'ops') },
    largestTensorPerImage: Math.max(
      0,
      ...stepExperts(phase, shapes).map((shape) => trainingCost(shape, trained).largestTensorBytes),
    ),
  };
}

/** Images in one step: the batch, per stream (two for dual sampling). */
export function phaseImages(phase: PlanPhase): number {
  return phase.batch * (phase.sampler.kind === 'dual' ? 2 : 1);
}

/**
 * The experts a step runs. Cached expert outputs: a step reads them instead of running the
 * experts (the one pass that fills the cache is a forward pass per training image, before the
 * first step).
 */
function stepExperts(phase: PlanPhase, shapes: ReadonlyMap<string, ExpertShape>): ExpertShape[] {
  const experts = phase.frozenExperts?.outputs === 'cache' ? [] : phase.experts;
  return experts.flatMap((name) => shapes.get(name) ?? []);
}

function imageBytes(phase: PlanPhase, shapes: ReadonlyMap<string, ExpertShape>, path: ModelPath): number {
  const trained = new Set(phase.trainable);
  return stepExperts(phase, shapes).reduce((sum, shape) => sum + trainingCost(shape, trained, path).activationBytes, 0);
}

/** The bytes one image of `phase` holds at its step's peak on the given model path (step_memory.ts). */
export function phaseBytesPerImage(
  backbones: readonly PlanBackbone[],
  modules: PlanModules,
  phase: PlanPhase,
  path: ModelPath,
): number {
  const shapes = new Map(modules.experts.map((e) => [e.name, expertShape(e.name, backbones, modules)]));
  return imageBytes(phase, shapes, path);
}
