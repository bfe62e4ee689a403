/**
 * The writer's side of a naming scheme: canonical tensors under the scheme's own names, read off
 * the same table the loader applies (`filterWeights`), so names are never written twice. Only
 * rules that rename (one source, no layout conversion) can be inverted; timm's and lpt's tables
 * are all renames.
 */
import type { FloatTensors } from '../tensor.ts';
import type { NameRule, NamingScheme } from './scheme.ts';

export function fromCanonical(scheme: NamingScheme, tensors: FloatTensors, depth: number): FloatTensors {
  const out: FloatTensors = new Map();
  const used = new Set<string>();
  const put = (rule: NameRule, index?: number) => {
    const at = (s: string) => (index === undefined ? s : s.replaceAll('{i}', String(index)));
    const canonical = at(rule.canonical);
    const tensor = tensors.get(canonical);
    if (tensor === undefined) {
      if (rule.optional) return;
      throw new Error(`'${scheme.name}' naming needs '${canonical}', which the weights lack`);
    }
    if (rule.convert !== undefined || rule.sources.length !== 1)
      throw new Error(`'${scheme.name}' naming converts '${canonical}': only renaming schemes can be written`);
    out.set(at(rule.sources[0]!), tensor);
    used.add(canonical);
  };
  for (const rule of scheme.rules) put(rule);
  for (let i = 0; i < depth; i++) for (const rule of scheme.blockRules) put(rule, i);
  const left = [...tensors.keys()].filter((name) => !used.has(name));
  if (left.length > 0) throw new Error(`'${scheme.name}' naming has no name for ${left.join(', ')}`);
  return out;
}
