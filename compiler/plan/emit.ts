/**
 * emitPlan: lowers a checked model to a Plan with every default resolved, computes its budget
 * and hash. Called only for models without errors; a failure here is a compiler bug (the caller
 * turns it into an internal-error diagnostic).
 */
import type { CheckResult } from '../check/check.ts';
import { classCountFromFiles } from '../check/class_count_from_files.ts';
import { pipelineFacts } from '../check/pipeline.ts';
import type { TypedModel } from '../check/typed.ts';
import type { CompilerHost } from '../host.ts';
import { planPath } from '../program/paths.ts';
import { defaultShots } from '../spec/evaluation.ts';
import { computeBudget, type BudgetLimit } from './budget.ts';
import { emitSplit } from './emit_data.ts';
import { emitBackbone, emitModules } from './emit_modules.ts';
import { emitPhase, executionOrder } from './emit_phases.ts';
import { planHash } from '../../plan/hash.ts';
import { BUDGET_METRICS, METRICS } from '../../plan/enums.ts';
import { PLAN_VERSION, type Plan, type PlanBound, type PlanEvaluation, type PlanSlurm } from '../../plan/plan.ts';

export function emitPlan({ typed, index }: CheckResult, host: CompilerHost, cwd: string): Plan {
  const { model, experiment } = typed;
  const seed = experiment.seed ?? 0;
  const train = typed.splits.find((s) => s.name === 'train');
  const trainSource = train ? pipelineFacts(train) : undefined;
  const classes =
    experiment.classes ??
    trainSource?.classes ??
    (trainSource?.source ? classCountFromFiles(trainSource.source, host) : null);
  if (classes === null || classes === undefined) throw new Error('class count unknown after checking');
  const backbones = index.declsOf('backbone').map((d) => emitBackbone(d, cwd));
  const modules = emitModules({ index, backbones: new Map(backbones.map((b) => [b.name, b])), classes, cwd });
  const splits = typed.splits.map((s) => emitSplit(s, typed.splits, seed, backbones[0]?.channels ?? 3, host, cwd));
  const phases = executionOrder(typed.phases).map((p) =>
    emitPhase(
      p,
      index,
      splits.find((s) => s.name === (p.split?.name ?? 'train')),
    ),
  );
  const defaultModel = modules.scorer?.name ?? modules.experts[0]?.name ?? '';
  const evaluation = typed.evaluations.map((e): PlanEvaluation => {
    const bound = (name: 'many' | 'few'): PlanBound => {
      const given = e.shots?.settings[name];
      return given ? { op: given.op, value: given.value } : { ...defaultShots[name] };
    };
    return {
      split: e.split.name,
      model: e.model?.name ?? defaultModel,
      shots: { many: bound('many'), few: bound('few') },
      metrics: e.metrics ?? [...METRICS],
      every: e.every ?? 'end',
    };
  });
  const variant = model.variant ? { ablation: model.variant.ablation, name: model.variant.name } : null;
  const { label } = experiment;
  const replicate = model.replicate;
  const withoutHash: Omit<Plan, 'hash'> = {
    version: PLAN_VERSION,
    name: variant
      ? `${model.name}/${variant.ablation}/${variant.name}`
      : replicate
        ? `${model.name}, ${replicate.seedLabel}`
        : model.name,
    experiment: model.name,
    variant,
    ...(label !== undefined && variant === null ? { label } : {}),
    source: planPath(model.variant?.node.span.file ?? model.file, cwd),
    seed,
    ...(replicate ? { replicateOf: replicate.row ?? label ?? model.name } : {}),
    ...(model.overrides ? { overrides: model.overrides } : {}),
    backend: experiment.backend ?? 'auto',
    ...(experiment.slurm ? { slurm: slurmSettings(experiment.slurm) } : {}),
    classes,
    out: experiment.out ?? 'runs',
    data: { splits },
    backbones,
    modules,
    phases,
    evaluation,
    budget: computeBudget(backbones, modules, phases, budgetLimits(typed)),
  };
  const { version, ...rest } = withoutHash;
  return { version, hash: planHash(withoutHash), ...rest };
}

/** The written arguments of `slurm(...)` (the unwritten ones are estimated when the run is submitted). */
function slurmSettings(call: NonNullable<TypedModel['experiment']['slurm']>): PlanSlurm {
  return Object.fromEntries(
    Object.entries(call.settings).filter(([, v]) => v !== undefined && v !== null),
  ) as PlanSlurm;
}

export function budgetLimits(typed: TypedModel): BudgetLimit[] {
  const call = typed.experiment.budget;
  if (!call) return [];
  return BUDGET_METRICS.flatMap((metric) => {
    const limit = call.settings[metric];
    return limit ? [{ metric, op: limit.op, limit: limit.value }] : [];
  });
}
