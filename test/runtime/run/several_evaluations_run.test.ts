/** Several evaluate blocks in one plan: each is measured and recorded, and adding one changes no other result. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { RunEvent } from '../../../runtime/events.ts';
import { runExperiment } from '../../../runtime/run/run_experiment.ts';
import type { RunResults } from '../../../plan/results.ts';
import { useTestBackend } from '../../helpers/backend.ts';
import { tinyExperiment, tinyPlans } from '../../helpers/tiny_run.ts';

test.before(async () => {
  await useTestBackend();
});

const backend = { name: 'test', reason: 'test' };
const withVal = tinyExperiment
  .replace(
    '    test  = mnist(split: test)',
    '    val   = holdout(per_class: 3) | normalize(mean: 0.5, std: 0.5)\n    test  = mnist(split: test)',
  )
  .replace(
    '  evaluate test { shots(many: >15, few: <=5) }',
    '  evaluate test { shots(many: >15, few: <=5) }\n  evaluate val { shots(many: >15, few: <=5); every phase }',
  );

async function run(source: string) {
  const { dir, plans } = tinyPlans(source);
  const events: RunEvent[] = [];
  const runDir = join(dir, 'run');
  await runExperiment(plans.slice(0, 1), { runDir, emit: (e) => events.push(e), backend });
  return { events, results: JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as RunResults };
}

test.serial('each evaluate block is measured at its times and recorded, the first block first', async (t) => {
  const both = await run(withVal);
  t.deepEqual(
    both.results.variants.map((v) => [v.variant, v.split]),
    [
      ['tiny', 'test'],
      ['tiny', 'val'],
    ],
  );
  const evaluations = both.events.flatMap((e) => (e.type === 'evaluation' ? [`${e.phase} ${e.split}`] : []));
  t.deepEqual(evaluations, ['one val', 'two test', 'two val']);
  t.is(
    both.results.variants[1]!.perClass.reduce((n, c) => n + c.testImages, 0),
    30,
  );
  // The same plan without the val block gives the same test result (val stays declared, so train is the same).
  const alone = await run(withVal.replace('\n  evaluate val { shots(many: >15, few: <=5); every phase }', ''));
  t.deepEqual(
    alone.results.variants.map((v) => v.split),
    ['test'],
  );
  t.deepEqual(alone.results.variants[0]!.accuracy, both.results.variants[0]!.accuracy);
  t.deepEqual(alone.results.variants[0]!.perClass, both.results.variants[0]!.perClass);
});
