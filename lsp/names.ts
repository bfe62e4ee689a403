/**
 * Which declared names fit a reference of the spec (RefKind), by the keyword that declared them:
 * `train` takes prompts, adapters, heads and the scorer; `after` takes phases; and so on.
 */
import type { RefKind } from '../compiler/spec/types.ts';
import type { Member } from './program.ts';

const keywordsOf: Readonly<Record<RefKind, readonly string[]>> = {
  backbone: ['backbone'],
  prompt: ['prompt'],
  deep_prompt: ['prompt'],
  adapter: ['adapter'],
  head: ['head'],
  expert: ['expert'],
  module: ['prompt', 'adapter'],
  trainable: ['prompt', 'adapter', 'head', 'scorer'],
  model: ['expert', 'scorer'],
  phase: ['phase'],
  split: ['split'],
};

export function membersFitting(members: readonly Member[], ref: RefKind): Member[] {
  const fitting = members.filter((m) => keywordsOf[ref].includes(m.keyword) && !(ref === 'deep_prompt' && isPool(m)));
  // Later members replace earlier ones of the same name (extends merges by name).
  return [...new Map(fitting.map((m) => [m.name, m])).values()];
}

function isPool(member: Member): boolean {
  if (member.node.kind !== 'Declaration') return false;
  const value = member.node.value;
  const callee = value.kind === 'Call' ? value.callee : value.kind === 'NameRef' ? value : undefined;
  return callee?.parts[0]?.name === 'pool';
}
