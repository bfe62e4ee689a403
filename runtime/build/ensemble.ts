/**
 * All the trainable parts of a plan: every expert (a backbone, built once per name and shared by
 * the experts on it, with its prompts, adapters and head) and the MoE scorer, with the stable
 * names their tensors have in checkpoints. A plan with one expert and no scorer keeps LPT's
 * names (shared.prompts, head.weight, ...); with several, each name is prefixed by its expert
 * ("visual/shared.prompts") and the scorer's by "scorer/" ("scorer/hidden.weight").
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Plan, PlanExpert } from '../../plan/plan.ts';
import { disposeLptModel, namedTrainables, type LptModel } from '../model/lpt_model.ts';
import { createScorer, type Scorer } from '../model/scorer.ts';
import type { ModelPaths } from '../model/speed.ts';
import { disposeVit, type Vit } from '../model/vit.ts';
import { buildBackbone, buildExpert, expertSlots, type ExpertSlots } from './experts.ts';
import type { StableNames } from '../store/resume.ts';

export interface BuiltExpert {
  readonly plan: PlanExpert;
  readonly model: LptModel;
  readonly slots: ExpertSlots;
}

export interface Ensemble {
  readonly experts: readonly BuiltExpert[];
  readonly scorer: Scorer | null;
  readonly backbones: ReadonlyMap<string, Vit>;
  readonly names: StableNames;
}

export function buildEnsemble(plan: Plan, warn: (message: string) => void, paths: ModelPaths): Ensemble {
  const backbones = new Map<string, Vit>();
  const experts: BuiltExpert[] = [];
  try {
    for (const [i, expert] of plan.modules.experts.entries()) {
      let backbone = backbones.get(expert.backbone);
      if (backbone === undefined) {
        const planBackbone = plan.backbones.find((b) => b.name === expert.backbone);
        if (planBackbone === undefined) throw new Error(`expert '${expert.name}' names a backbone the plan lacks`);
        backbone = buildBackbone(planBackbone, plan.seed, warn, paths);
        backbones.set(expert.backbone, backbone);
      }
      // The first expert keeps LPT's seeds, so a one-expert plan initialises as before.
      experts.push({
        plan: expert,
        model: buildExpert(plan, expert, backbone, plan.seed + 10 * i),
        slots: expertSlots(plan, expert),
      });
    }
    const scorer = plan.modules.scorer === null ? null : buildScorer(plan, experts);
    return { experts, scorer, backbones, names: ensembleNames(experts, scorer) };
  } catch (error) {
    for (const e of experts) disposeLptModel(e.model, true);
    for (const b of backbones.values()) disposeVit(b);
    throw error;
  }
}

function buildScorer(plan: Plan, experts: readonly BuiltExpert[]): Scorer {
  const s = plan.modules.scorer!;
  const members = s.experts.map((name) => {
    const e = experts.find((x) => x.plan.name === name);
    if (e === undefined) throw new Error(`scorer '${s.name}' names an expert the plan lacks: '${name}'`);
    return e;
  });
  const inputDims = members.map(
    (e) => (s.input === 'feature' ? 0 : plan.classes) + (s.input === 'confidence' ? 0 : e.model.backbone.config.dim),
  );
  return createScorer(
    {
      experts: members.length,
      classes: plan.classes,
      input: s.input,
      inputDims,
      hidden: s.hidden,
      gate: s.gate,
      weights: s.weights,
      ...(s.mix === undefined ? {} : { mix: s.mix }),
    },
    plan.seed + 7,
  );
}

/** The scorer's variables by stable name (checkpoints). */
export function scorerTensors(scorer: Scorer): Map<string, tf.Variable> {
  const named = new Map<string, tf.Variable>();
  if (scorer.hiddenWeight !== null) named.set('hidden.weight', scorer.hiddenWeight);
  if (scorer.hiddenBias !== null) named.set('hidden.bias', scorer.hiddenBias);
  named.set('out.weight', scorer.outWeight);
  named.set('out.bias', scorer.outBias);
  return named;
}

/** LPT++ (several experts, or a scorer): tensor names, loss terms and events name each expert; LPT's do not. */
export function namesEachExpert(ensemble: { readonly experts: readonly unknown[]; readonly scorer: unknown }): boolean {
  return ensemble.experts.length > 1 || ensemble.scorer !== null;
}

function ensembleNames(experts: readonly BuiltExpert[], scorer: Scorer | null): StableNames {
  const tensors = new Map<string, tf.Variable>();
  const prefixed = namesEachExpert({ experts, scorer });
  for (const e of experts) {
    for (const [name, v] of namedTrainables(e.model)) tensors.set(prefixed ? `${e.plan.name}/${name}` : name, v);
  }
  // 'scorer/...' cannot clash with an expert's names: those have a dot after the slash.
  if (scorer !== null) for (const [name, v] of scorerTensors(scorer)) tensors.set(`scorer/${name}`, v);
  return { tensors, byVariable: new Map([...tensors].map(([name, v]) => [v.name, name])) };
}

export function expertByName(ensemble: Ensemble, name: string): BuiltExpert | undefined {
  return ensemble.experts.find((e) => e.plan.name === name);
}

export function disposeEnsemble(ensemble: Ensemble): void {
  for (const e of ensemble.experts) disposeLptModel(e.model, true);
  for (const b of ensemble.backbones.values()) disposeVit(b);
  if (ensemble.scorer !== null) tf.dispose([...scorerTensors(ensemble.scorer).values()]);
}
