/**
 * The run directories under the folders `lpt view` was given: every directory holding run.json,
 * results.json or events.jsonl, found up to a few levels down (runs/<experiment>/<timestamp>/ is
 * two), without following symbolic links or entering a run's own plans/ and checkpoints/. Each is
 * named by an id, `<root number>/<path under that root>`, which is all the page ever sends back.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface FoundRun {
  readonly id: string;
  readonly dir: string;
}

const markers = ['run.json', 'results.json', 'events.jsonl'];
const maxDepth = 4;

function isRunDirectory(dir: string): boolean {
  return markers.some((m) => existsSync(join(dir, m)));
}

function walk(dir: string, depth: number, into: string[]): void {
  if (isRunDirectory(dir)) {
    into.push(dir);
    return;
  }
  if (depth >= maxDepth) return;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // unreadable folders hold no runs we can show
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name)))
    if (entry.isDirectory() && !entry.name.startsWith('.')) walk(join(dir, entry.name), depth + 1, into);
}

/** `roots` are absolute; a root may itself be a run directory. */
export function discoverRuns(roots: readonly string[]): FoundRun[] {
  return roots.flatMap((root, r) => {
    if (!existsSync(root) || !statSync(root).isDirectory()) return [];
    const dirs: string[] = [];
    walk(root, 0, dirs);
    return dirs.map((dir) => ({ id: [String(r), ...relative(root, dir).split(sep).filter(Boolean)].join('/'), dir }));
  });
}
