/**
 * A plan with several evaluate blocks has one results.json entry per evaluated split (its first
 * evaluate block first). A table shows one split: the one asked for, or by default each plan's
 * first; the splits left out are named so the reader knows they exist.
 */
import type { RunResults, VariantResults } from '../../plan/results.ts';

export type SplitChoice =
  | { readonly ok: true; readonly results: RunResults; readonly otherSplits: readonly string[] }
  | { readonly ok: false; readonly message: string };

/** The entries of `results` on `split`, or each plan's first evaluated split when `split` is undefined. */
export function chooseSplit(results: RunResults, split: string | undefined): SplitChoice {
  const all = [...new Set(results.variants.flatMap((v) => (v.split === undefined ? [] : [v.split])))];
  if (split !== undefined && !all.includes(split))
    return {
      ok: false,
      message: `no result on the split '${split}' (evaluated: ${all.length > 0 ? all.join(', ') : 'not recorded'})`,
    };
  const seen = new Set<string>();
  const chosen = results.variants.filter((v) => {
    if (split !== undefined) return v.split === split;
    const key = planKey(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const shown = new Set(chosen.map((v) => v.split));
  return { ok: true, results: { ...results, variants: chosen }, otherSplits: all.filter((s) => !shown.has(s)) };
}

/** One plan's entries share its hash (or, in files of older versions, its row name and seed). */
function planKey(v: VariantResults): string {
  return v.planHash ?? `${v.variant}\u0000${v.seed ?? ''}`;
}
