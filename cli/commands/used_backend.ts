/**
 * The backend `lpt predict` and `lpt evaluate` use unless --backend names one: the one the plan's
 * run used (its newest run_start in events.jsonl), so the model computes as it did when the run
 * scored it and, where the run used no GPU, Dawn is never probed (it prints its own warnings on
 * stderr, which nothing in Node can silence). A run that recorded none (events.jsonl missing or
 * torn) gets the plan's own preference, as `lpt run --resume` picks it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { planBackendPreference } from '../../runtime/backend/preference.ts';
import { parseEventLog } from '../render/event_log.ts';

export interface BackendDefault {
  readonly preference: string;
  /** Where the preference comes from, for the backend's reason line. */
  readonly source: string;
}

export function usedBackend(runDir: string, plan: Plan): BackendDefault | undefined {
  const path = join(runDir, 'events.jsonl');
  if (!existsSync(path)) return undefined;
  const start = parseEventLog(readFileSync(path, 'utf8')).events.findLast(
    (e) => e.type === 'run_start' && e.planHash === plan.hash,
  );
  return start?.type === 'run_start' ? { preference: start.backend, source: 'the run (events.jsonl)' } : undefined;
}

export function planBackend(plan: Plan): BackendDefault {
  return { preference: planBackendPreference(plan), source: 'the plan' };
}
