/**
 * The names trained tensors get in an export (docs/RUN_DIRECTORY.md, "Exporting a run"): LPT's
 * modules in the names of the authors' PromptLearner (DongSky/LPT,
 * phase2_test/PromptModels_pool/structure.py), so their VPT_ViT loads them; the rest (adapters,
 * the scorer) under our checkpoint names with dots. One table serves both directions.
 *
 * Checkpoint names (runtime/build/ensemble.ts): `shared.prompts`, ..., or with several experts or
 * a scorer `visual/shared.prompts`, `scorer/out.weight`. Export names: `prompt_learner.Prompt_Tokens`,
 * ..., or `visual.prompt_learner.Prompt_Tokens`, `scorer.out.weight`.
 */
import type { Plan, PlanExpert } from '../../plan/plan.ts';

const authorsNames: readonly (readonly [checkpoint: string, exported: string])[] = [
  ['shared.prompts', 'prompt_learner.Prompt_Tokens'],
  ['pool.prompts', 'prompt_learner.Prompt_Tokens_pool'],
  ['pool.keys', 'prompt_learner.Prompt_Keys'],
  ['head.weight', 'prompt_learner.head.weight'],
  ['head.bias', 'prompt_learner.head.bias'],
  ['head.projection', 'prompt_learner.head.projection'],
];
const toExported = new Map(authorsNames);
const toCheckpoint = new Map(authorsNames.map(([checkpoint, exported]) => [exported, checkpoint]));

/** `visual/shared.prompts` -> ['visual', 'shared.prompts']; an unprefixed name has owner null. */
function splitOwner(name: string, separator: string): [owner: string | null, local: string] {
  const cut = name.indexOf(separator);
  return cut < 0 ? [null, name] : [name.slice(0, cut), name.slice(cut + 1)];
}

export function exportedName(checkpointName: string): string {
  const [owner, local] = splitOwner(checkpointName, '/');
  const renamed = toExported.get(local) ?? local;
  return owner === null ? renamed : `${owner}.${renamed}`;
}

/** The inverse of exportedName; `prefixed`: the plan names each expert (LPT++). */
export function checkpointName(exported: string, prefixed: boolean): string {
  const [owner, local] = prefixed ? splitOwner(exported, '.') : [null, exported];
  const renamed = toCheckpoint.get(local) ?? local;
  return owner === null ? renamed : `${owner}/${renamed}`;
}

/**
 * The plan module a checkpoint tensor belongs to (`shared`, `group`, `cls`, the scorer's name):
 * an export holds only the modules its phases trained.
 */
export function planModuleOf(plan: Plan, checkpointTensor: string): string {
  const [owner, local] = splitOwner(checkpointTensor, '/');
  if (owner === 'scorer' && plan.modules.scorer !== null) return plan.modules.scorer.name;
  const expert = owner === null ? plan.modules.experts[0] : plan.modules.experts.find((e) => e.name === owner);
  if (expert === undefined) throw new Error(`checkpoint tensor '${checkpointTensor}' names no expert of the plan`);
  const module = slotModule(expert, local.slice(0, local.indexOf('.')));
  if (module === undefined) throw new Error(`checkpoint tensor '${checkpointTensor}' belongs to no module of the plan`);
  return module;
}

function slotModule(expert: PlanExpert, slot: string): string | undefined {
  switch (slot) {
    case 'shared':
      return expert.prompts[0];
    case 'pool':
      return expert.pools[0];
    case 'adapters':
      return expert.adapters[0];
    case 'head':
      return expert.head;
    default:
      return undefined;
  }
}
