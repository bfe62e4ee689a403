/**
 * The writer's side of a naming scheme: canonical tensors under the scheme's own names, read off
 * the same table the loader applies (`filterWeights`), so names are never written twice. A rule
 * that renames writes its tensor as it is; a rule that converts layouts writes what its `invert`
 * gives back (Google's kernels need the head count, `context`). Writing, then loading, gives the
 * canonical tensors back, except what a derived rule makes (CLIP's zero patch bias). `lpt export`
 * writes timm and lpt files this way, and `lpt run --smoke --synthetic` its stand-in checkpoints.
 */
import type { FloatTensors } from '../tensor.ts';
import type { InvertContext, NameRule, NamingScheme } from './scheme.ts';

export function fromCanonical(
  scheme: NamingScheme,
  tensors: FloatTensors,
  depth: number,
  context?: InvertContext,
): FloatTensors {
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
    if (used.has(canonical)) return; // another spelling of a tensor an earlier rule wrote (open_clip's projection)
    used.add(canonical);
    if (rule.convert === undefined && rule.sources.length === 1) {
      out.set(at(rule.sources[0]!), tensor);
      return;
    }
    if (rule.invert === undefined || context === undefined)
      throw new Error(
        `'${scheme.name}' naming converts '${canonical}': writing it needs the rule's inverse and the architecture's head count`,
      );
    const sources = rule.invert(tensor, context);
    rule.sources.forEach((source, j) => {
      const t = sources[j];
      if (t) out.set(at(source), t); // null: another rule writes that source
    });
  };
  for (const rule of scheme.rules) put(rule);
  for (let i = 0; i < depth; i++) for (const rule of scheme.blockRules) put(rule, i);
  const left = [...tensors.keys()].filter((name) => !used.has(name));
  if (left.length > 0) throw new Error(`'${scheme.name}' naming has no name for ${left.join(', ')}`);
  return out;
}
