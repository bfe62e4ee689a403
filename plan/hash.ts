/** The plan hash: sha256 of the canonical JSON (object keys sorted, no whitespace) of the plan without `hash`. */
import { createHash } from 'node:crypto';

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function planHash(planWithoutHash: object): string {
  return createHash('sha256').update(canonicalJson(planWithoutHash)).digest('hex');
}

/** The plan with its hash recomputed after a change (a smoke run's shortened plan is a plan of its own). */
export function rehashed<P extends { readonly hash: string }>(plan: P): P {
  const { hash: _, ...rest } = plan;
  return { ...rest, hash: planHash(rest) } as P;
}
