/**
 * The text-tower naming schemes by name (`lpt embed-text --naming`, `text(naming: ...)`).
 */
import {
  filterWeights,
  textNamingNames,
  type FilterResult,
  type NamingScheme,
  type TextNamingName,
} from '../scheme.ts';
import type { NamedTensors } from '../../tensor.ts';
import { clipTextNaming, openClipTextNaming } from './clip_text.ts';
import { hfTextNaming } from './hf_text.ts';

export const textNamingSchemes: Readonly<Record<TextNamingName, NamingScheme>> = {
  clip: clipTextNaming,
  open_clip: openClipTextNaming,
  hf: hfTextNaming,
};

export function isTextNamingName(value: string): value is TextNamingName {
  return (textNamingNames as readonly string[]).includes(value);
}

/** Map a file's tensors to the canonical text names under `naming`; `file` names it in errors. */
export function toCanonicalText(raw: NamedTensors, naming: TextNamingName, file: string): FilterResult {
  return filterWeights(textNamingSchemes[naming], raw, file);
}

export { textNamingNames, type TextNamingName } from '../scheme.ts';
