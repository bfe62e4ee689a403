/**
 * The text-tower naming schemes by name (`lpt embed-text --naming`, `text(naming: ...)`).
 */
import type { TextNaming } from '../../../../plan/enums.ts';
import { filterWeights, type FilterResult, type NamingScheme } from '../scheme.ts';
import type { NamedTensors } from '../../tensor.ts';
import { clipTextNaming, openClipTextNaming } from './clip_text.ts';
import { hfTextNaming } from './hf_text.ts';

export const textNamingSchemes: Readonly<Record<TextNaming, NamingScheme>> = {
  clip: clipTextNaming,
  open_clip: openClipTextNaming,
  hf: hfTextNaming,
};

/** Map a file's tensors to the canonical text names under `naming`; `file` names it in errors. */
export function toCanonicalText(raw: NamedTensors, naming: TextNaming, file: string): FilterResult {
  return filterWeights(textNamingSchemes[naming], raw, file);
}
