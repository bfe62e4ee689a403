/** The backend predict and evaluate default to: the newest run_start of the plan in events.jsonl, else none. */
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planBackend, usedBackend } from '../../../cli/commands/used_backend.ts';
import type { Plan } from '../../../plan/plan.ts';

const plan = { hash: 'h1', backend: 'node_gpu' } as Plan;
const start = (planHash: string, backend: string) => JSON.stringify({ type: 'run_start', time: 1, planHash, backend });

function runDir(lines?: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-used-backend-'));
  if (lines !== undefined) writeFileSync(join(dir, 'events.jsonl'), lines.join('\n'));
  return dir;
}

test('the newest run_start of the plan names the backend', (t) => {
  const dir = runDir([start('h1', 'webgpu'), start('h2', 'cpu'), start('h1', 'wasm'), start('h2', 'node')]);
  t.deepEqual(usedBackend(dir, plan), { preference: 'wasm', source: 'the run (events.jsonl)' });
});

test('no events.jsonl, no run_start of the plan, or a torn log: none recorded', (t) => {
  t.is(usedBackend(runDir(), plan), undefined);
  t.is(usedBackend(runDir([start('h2', 'cpu')]), plan), undefined);
  t.is(usedBackend(runDir(['{"type": "run_st']), plan), undefined);
});

test("the plan's preference is spelt as lpt run spells it", (t) => {
  t.deepEqual(planBackend(plan), { preference: 'node-gpu', source: 'the plan' });
});
