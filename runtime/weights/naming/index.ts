/**
 * The naming schemes by name, and the one entry point the loader uses.
 */
import { clipNaming } from './clip.ts';
import { lptNaming } from './lpt.ts';
import { npzNaming } from './npz.ts';
import type { WeightNaming } from '../../../plan/enums.ts';
import { filterWeights, type FilterResult, type NamingScheme } from './scheme.ts';
import { timmNaming } from './timm.ts';
import { torchvisionNaming } from './torchvision.ts';
import type { NamedTensors } from '../tensor.ts';

export const namingSchemes: Readonly<Record<WeightNaming, NamingScheme>> = {
  lpt: lptNaming,
  timm: timmNaming,
  torchvision: torchvisionNaming,
  npz: npzNaming,
  clip: clipNaming,
};

/** Map a file's tensors to canonical names under `naming`; `file` names it in errors. */
export function toCanonical(raw: NamedTensors, naming: WeightNaming, file: string): FilterResult {
  return filterWeights(namingSchemes[naming], raw, file);
}

export type { FilterResult, NamingScheme } from './scheme.ts';
