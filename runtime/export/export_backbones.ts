/**
 * A plan's frozen backbones as the run loaded them, in timm's names: the weights file through the
 * plan's naming scheme to the canonical tensors, then out through the `lpt` table (timm's names,
 * plus CLIP's visual projection as `head.weight`), with the facts names cannot show in the
 * metadata (saveBackboneWeights). A backbone without weights (drawn at random) is refused.
 * The position embedding is the file's: a plan whose image size differs resamples it at load.
 */
import { join } from 'node:path';
import type { Plan, PlanBackbone } from '../../plan/plan.ts';
import type { VitConfig } from '../model/vit_config.ts';
import { fromCanonical } from '../weights/naming/from_canonical.ts';
import { lptNaming } from '../weights/naming/lpt.ts';
import { loadBackboneWeights, saveBackboneWeights } from '../weights/load.ts';
import type { FloatTensors } from '../weights/tensor.ts';
import { ExportError } from './export_error.ts';

/** The architecture facts of the plan's backbone, and where its file is (relative to the export folder). */
export type ExportedBackbone = Pick<
  PlanBackbone,
  'name' | 'image' | 'patch' | 'dim' | 'depth' | 'heads' | 'channels' | 'act' | 'eps'
> & { readonly file: string; readonly naming: 'timm' };

export function exportBackbones(plan: Plan, dir: string): ExportedBackbone[] {
  return plan.backbones.map((b) => {
    const file = join('weights', `${b.name}.safetensors`);
    const { config, tensors } = canonicalWeights(b);
    saveBackboneWeights(join(dir, file), { config, tensors: fromCanonical(lptNaming, tensors, config.depth) });
    const { name, image, patch, dim, depth, heads, channels, act, eps } = b;
    return { name, file, naming: 'timm', image, patch, dim, depth, heads, channels, act, eps };
  });
}

function canonicalWeights(b: PlanBackbone): { config: VitConfig; tensors: FloatTensors } {
  if (b.weights === null)
    throw new ExportError(
      `backbone '${b.name}' has no weights file: the run drew it at random, and a random backbone is not exported`,
    );
  const loaded = loadBackboneWeights(b.weights.path, {
    naming: b.weights.naming,
    format: b.weights.format,
    heads: b.heads,
  });
  return { config: { ...loaded.config, heads: b.heads }, tensors: loaded.tensors };
}
