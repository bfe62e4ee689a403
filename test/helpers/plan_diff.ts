/**
 * Compact, reviewable views of plans for snapshots: a plan flattened to "path: value" lines
 * (arrays of plain values kept on one line), and a variant as only the lines that differ from a
 * reference plan.
 */

export function flattenPlan(value: unknown, path = ''): Map<string, string> {
  const lines = new Map<string, string>();
  const visit = (v: unknown, at: string): void => {
    const plainArray = Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object');
    if (v !== null && typeof v === 'object' && !plainArray) {
      const entries = Array.isArray(v)
        ? v.map((x, i) => [String(i), x] as const)
        : Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) lines.set(at || '/', Array.isArray(v) ? '[]' : '{}');
      for (const [k, x] of entries) visit(x, `${at}/${k}`);
    } else lines.set(at || '/', JSON.stringify(v));
  };
  visit(value, path);
  return lines;
}

export function planLines(plan: unknown): string[] {
  return [...flattenPlan(plan)].map(([k, v]) => `${k}: ${v}`);
}

/** Lines of `variant` that differ from `reference`: "path: value", or "path: (removed)". */
export function planDiff(reference: unknown, variant: unknown): string[] {
  const a = flattenPlan(reference);
  const b = flattenPlan(variant);
  const out: string[] = [];
  for (const [k, v] of b) if (a.get(k) !== v) out.push(`${k}: ${v}`);
  for (const k of a.keys()) if (!b.has(k)) out.push(`${k}: (removed)`);
  return out;
}
