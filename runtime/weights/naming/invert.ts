/**
 * The naming tables read backwards: canonical tensors -> the tensors a file under that naming
 * holds, so that `filterWeights` on the result gives the canonical tensors back (what a derived
 * rule makes, like CLIP's zero patch bias, excepted). `lpt run --smoke --synthetic` writes its
 * stand-in checkpoints this way, from the same tables the loader reads with, so the two cannot
 * drift apart.
 */
import type { Float32Tensor, FloatTensors, NamedTensors } from '../tensor.ts';
import type { InvertContext, NameRule, NamingScheme } from './scheme.ts';

export function fromCanonical(scheme: NamingScheme, canonical: FloatTensors, context: InvertContext): NamedTensors {
  const out: NamedTensors = new Map();
  const written = new Set<string>();
  const depth = blockCount(canonical);
  const apply = (rule: NameRule, index?: number) => {
    const at = (s: string) => (index === undefined ? s : s.replaceAll('{i}', String(index)));
    const name = at(rule.canonical);
    const tensor = canonical.get(name);
    // An optional tensor the architecture lacks (timm's norm_pre), or one a rule before this one wrote.
    if (tensor === undefined || written.has(name)) {
      if (tensor === undefined && !rule.optional) throw new Error(`${scheme.name} naming needs '${name}'`);
      return;
    }
    written.add(name);
    if (rule.convert !== undefined && rule.invert === undefined)
      throw new Error(`${scheme.name} naming: the rule for '${rule.canonical}' converts but has no inverse`);
    const sources: readonly (Float32Tensor | null)[] = rule.invert ? rule.invert(tensor, context) : [tensor];
    rule.sources.forEach((source, j) => {
      const t = sources[j];
      if (t) out.set(at(source), t);
    });
  };
  for (const rule of scheme.rules) apply(rule);
  for (let i = 0; i < depth; i++) for (const rule of scheme.blockRules) apply(rule, i);
  return out;
}

function blockCount(canonical: FloatTensors): number {
  let depth = 0;
  for (const name of canonical.keys()) {
    const match = /^blocks\.(\d+)\./.exec(name);
    if (match) depth = Math.max(depth, Number(match[1]) + 1);
  }
  return depth;
}
