/**
 * The naming schemes by name, and the one entry point the loader uses.
 */
import { clipNaming } from './clip.ts';
import { lptNaming } from './lpt.ts';
import { npzNaming } from './npz.ts';
import { filterWeights, namingNames, type FilterResult, type NamingName, type NamingScheme } from './scheme.ts';
import { timmNaming } from './timm.ts';
import { torchvisionNaming } from './torchvision.ts';
import type { NamedTensors } from '../tensor.ts';

export const namingSchemes: Readonly<Record<NamingName, NamingScheme>> = {
  lpt: lptNaming,
  timm: timmNaming,
  torchvision: torchvisionNaming,
  npz: npzNaming,
  clip: clipNaming,
};

export function isNamingName(value: string): value is NamingName {
  return (namingNames as readonly string[]).includes(value);
}

/** Map a file's tensors to canonical names under `naming`; `file` names it in errors. */
export function toCanonical(raw: NamedTensors, naming: NamingName, file: string): FilterResult {
  return filterWeights(namingSchemes[naming], raw, file);
}

export { namingNames, type FilterResult, type NamingName, type NamingScheme } from './scheme.ts';
