/**
 * The plans' settings side by side: each plan flattened to one value per setting path
 * (`phases[one].optim.lr`: arrays of named objects are indexed by name, so the same phase lines up
 * across plans that add or drop one), and each row marked when the plans disagree on it.
 */
import type { Plan } from '../../plan/plan.ts';

export interface SettingsRow {
  readonly path: string;
  /** One cell per column: the value as JSON, or '' where the plan has no such setting. */
  readonly values: readonly string[];
  readonly differs: boolean;
}

export interface SettingsTable {
  readonly columns: readonly string[];
  readonly rows: readonly SettingsRow[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(value: unknown, path: string, into: Map<string, string>): void {
  if (isRecord(value)) {
    for (const [key, inner] of Object.entries(value)) flatten(inner, path ? `${path}.${key}` : key, into);
    return;
  }
  if (Array.isArray(value) && value.some((e) => typeof e === 'object' && e !== null)) {
    value.forEach((element, i) => {
      const name = isRecord(element) && typeof element.name === 'string' ? element.name : String(i);
      flatten(element, `${path}[${name}]`, into);
    });
    return;
  }
  into.set(path, JSON.stringify(value) ?? 'undefined');
}

/** Settings of `plans` (one column each, named by `columns`), in the order the first plan that has a setting lists it. */
export function settingsTable(columns: readonly string[], plans: readonly Plan[]): SettingsTable {
  const flat = plans.map((plan) => {
    const into = new Map<string, string>();
    flatten(plan, '', into);
    return into;
  });
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))];
  const rows = paths.map((path) => {
    const values = flat.map((f) => f.get(path) ?? '');
    return { path, values, differs: new Set(values).size > 1 };
  });
  return { columns, rows };
}
