/**
 * The executor checks a plan against runtime/supports.ts before any of it runs, and reports every
 * problem in one user error (a plan from a queue job or a run directory never met the compiler).
 */
import test from 'ava';
import { join, resolve } from 'node:path';
import { nodeCompilerHost } from '../../../compiler/node_host.ts';
import { compile } from '../../../compiler/compile.ts';
import type { Plan } from '../../../plan/plan.ts';
import { UserError } from '../../../runtime/errors.ts';
import { PlanNotSupportedError } from '../../../runtime/run/assert_supported.ts';
import { runPlan } from '../../../runtime/run/run_plan.ts';

const root = resolve(import.meta.dirname, '../../..');
const lpt = compile(join(root, 'experiments/quickstart.lpt'), nodeCompilerHost(root)).plans[0]!;
const backend = { name: 'cpu', reason: 'test' };

test('the executor refuses an unsupported plan before any data loads, every problem in one user error', async (t) => {
  const plan: Plan = {
    ...lpt,
    data: {
      ...lpt.data,
      // Loading any split would fail: the refusal must come first.
      splits: lpt.data.splits.map((x) => ({
        ...x,
        source: { kind: 'image_folder' as const, root: '/nonexistent', classes: null },
      })),
    },
    evaluation: [{ ...lpt.evaluation[0]!, model: 'other' }],
    modules: { ...lpt.modules, pools: [{ ...lpt.modules.pools[0]!, query: 'elsewhere' }] },
  };
  const error = await t.throwsAsync(
    runPlan(plan, { variant: 'x', checkpointDir: '/nonexistent', emit: () => {}, backend, runDir: '/nonexistent' }),
    { instanceOf: PlanNotSupportedError },
  );
  t.true(error instanceof UserError);
  t.is(error!.file, plan.source);
  t.deepEqual(
    error!.problems.map((p) => p.entity.kind),
    ['pool', 'evaluation'],
  );
  t.is(
    error!.message,
    `${plan.source}: plan '${plan.name}': the runtime cannot run it:\n` +
      `  pool '${lpt.modules.pools[0]!.name}': its query must be the shared prompt of its own expert '${lpt.modules.experts[0]!.name}' for the runtime\n` +
      "  evaluation 'test': it evaluates 'other', which is neither an expert nor the scorer of the plan",
  );
});
