/**
 * A worker reads only under its data root: every input path of a queued plan (data, weights,
 * text-head files; plan/paths.ts) is resolved against the root, and a path that leads outside it
 * (`../`, or an absolute path elsewhere) rejects the plan with an error naming the path. The
 * plan's output folder (`out`, where the text-embedding cache lives) becomes the worker's own
 * work folder. Symbolic links inside the root are the worker owner's choice and are followed.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Plan } from '../../plan/plan.ts';
import { mapPlanInputs } from '../../plan/paths.ts';

export class PathEscapeError extends Error {
  override readonly name = 'PathEscapeError';
}

/** The absolute path of `path` under `root`, or null when it leads outside `root`. */
export function underRoot(root: string, path: string): string | null {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel === '') return full;
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return full;
}

/** The plan as the worker runs it: inputs resolved under `dataRoot` (absolute), outputs under `workDir`. */
export function confinePlan(plan: Plan, dataRoot: string, workDir: string): Plan {
  const root = resolve(dataRoot);
  const escapes: string[] = [];
  const confined = mapPlanInputs(plan, (path, what) => {
    const inside = underRoot(root, path);
    if (inside === null) escapes.push(`${what}: ${path}`);
    return inside ?? path;
  });
  if (escapes.length > 0) {
    throw new PathEscapeError(
      `plan '${plan.name}' reads outside the worker's data root ${root}:\n${escapes.map((e) => `  ${e}`).join('\n')}`,
    );
  }
  return { ...confined, out: workDir };
}
