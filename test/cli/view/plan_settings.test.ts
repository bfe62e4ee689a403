import test from 'ava';
import type { Plan } from '../../../plan/plan.ts';
import { settingsTable } from '../../../cli/view/plan_settings.ts';

const plan = (lr: number, phases: string[]) =>
  ({
    seed: 1,
    phases: phases.map((name) => ({ name, optim: { lr }, trainable: ['shared', 'cls'] })),
  }) as unknown as Plan;

test('settings line up by path, named arrays by name, and the rows that differ are marked', (t) => {
  const table = settingsTable(['LPT', 'VPT'], [plan(0.1, ['one', 'two']), plan(0.2, ['one'])]);
  t.deepEqual(table.columns, ['LPT', 'VPT']);
  t.deepEqual(
    table.rows.map((r) => [r.path, ...r.values, r.differs]),
    [
      ['seed', '1', '1', false],
      ['phases[one].name', '"one"', '"one"', false],
      ['phases[one].optim.lr', '0.1', '0.2', true],
      ['phases[one].trainable', '["shared","cls"]', '["shared","cls"]', false],
      ['phases[two].name', '"two"', '', true],
      ['phases[two].optim.lr', '0.1', '', true],
      ['phases[two].trainable', '["shared","cls"]', '', true],
    ],
  );
});
