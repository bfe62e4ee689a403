/**
 * The spec's call names are the plan's enumerations: a family the plan records by kind (losses,
 * samplers, heads, ...) has exactly the calls plan/enums.ts lists, in the same order (the order
 * messages and the docs list them in). The type below fails `tsc` when a name is missing on
 * either side; the test checks the order.
 */
import test from 'ava';
import { callNames, type SpecIn } from '../../../compiler/spec/index.ts';
import type { Family } from '../../../compiler/spec/types.ts';
import {
  ADAPTER_KINDS,
  BACKBONE_ARCHS,
  HEAD_KINDS,
  LOSSES,
  OPTIMIZERS,
  SAMPLERS,
  SCHEDULES,
  SCORER_KINDS,
  SOURCE_KINDS,
  TRANSFORM_KINDS,
} from '../../../plan/enums.ts';

/** `holdout(...)` is a source of the language that the plan records as a split's `holdout`, not as a source kind. */
const languageOnly: Partial<Record<Family, string>> = { source: 'holdout' };

const planNamed = {
  source: SOURCE_KINDS,
  transform: TRANSFORM_KINDS,
  backbone: BACKBONE_ARCHS,
  adapter: ADAPTER_KINDS,
  head: HEAD_KINDS,
  scorer: SCORER_KINDS,
  loss: LOSSES,
  sampler: SAMPLERS,
  optimizer: OPTIMIZERS,
  schedule: SCHEDULES,
} as const;
type PlanNamed = typeof planNamed;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const exact: { readonly [F in keyof PlanNamed]: Same<Exclude<SpecIn<F>['name'], 'holdout'>, PlanNamed[F][number]> } = {
  source: true,
  transform: true,
  backbone: true,
  adapter: true,
  head: true,
  scorer: true,
  loss: true,
  sampler: true,
  optimizer: true,
  schedule: true,
};

for (const [family, names] of Object.entries(planNamed)) {
  test(`the ${family} calls are the plan's enumeration, in its order`, (t) => {
    t.true(exact[family as keyof PlanNamed]);
    t.deepEqual(
      callNames(family as Family).filter((name) => name !== languageOnly[family as Family]),
      [...names],
    );
  });
}
