/**
 * Validating plans against the schema: compiled once at module scope with one Ajv instance. The
 * compiler validates every plan it emits (errors become 3001 diagnostics that keep the
 * instancePath); the runtime validates every plan it is handed.
 */
import { Ajv } from 'ajv';
import type { Plan } from './plan.ts';
import { planSchema } from './schema.ts';

const ajv = new Ajv({ allErrors: true, strict: true });
const validateFn = ajv.compile<Plan>(planSchema);

export interface PlanError {
  /** JSON pointer into the plan, e.g. "/phases/0/epochs". */
  readonly instancePath: string;
  readonly message: string;
}

export function validatePlan(
  value: unknown,
): { readonly ok: true; readonly plan: Plan } | { readonly ok: false; readonly errors: readonly PlanError[] } {
  if (validateFn(value)) return { ok: true, plan: value };
  const errors = (validateFn.errors ?? []).map((e) => ({
    instancePath: e.instancePath || '/',
    message: e.message ?? 'is invalid',
  }));
  return { ok: false, errors };
}

/** Human-readable lines for a rejected plan, e.g. for the runtime's error message. */
export function describePlanErrors(errors: readonly PlanError[]): string {
  return errors.map((e) => `${e.instancePath}: ${e.message}`).join('\n');
}
