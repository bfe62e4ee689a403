/** The plan schema: committed JSON in sync, emitted plans accepted, broken plans rejected with a path. */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { planSchema } from '../../plan/schema.ts';
import { describePlanErrors, validatePlan } from '../../plan/validate.ts';
import { compileText } from '../helpers/compile_source.ts';

const validPlan = () => {
  const { plans } = compileText('import "base.lpt"\nexperiment x extends base { }');
  return structuredClone(plans[0]!);
};

test('plan.schema.json is generated from schema.ts (run scripts/gen_plan_schema.ts)', (t) => {
  const committed = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../plan/plan.schema.json'), 'utf8'));
  t.deepEqual(committed, JSON.parse(JSON.stringify(planSchema)));
});

test('an emitted plan validates', (t) => {
  t.true(validatePlan(validPlan()).ok);
});

test('a wrong value is rejected with its instance path', (t) => {
  const plan = validPlan() as unknown as { phases: { epochs: unknown }[] };
  plan.phases[0]!.epochs = 0;
  const result = validatePlan(plan);
  t.false(result.ok);
  if (!result.ok) {
    t.true(result.errors.some((e) => e.instancePath === '/phases/0/epochs'));
    t.regex(describePlanErrors(result.errors), /\/phases\/0\/epochs/);
  }
});

test('unknown fields and missing fields are rejected', (t) => {
  const extra = { ...validPlan(), surprise: true };
  t.false(validatePlan(extra).ok);
  const { budget: _budget, ...missing } = validPlan();
  t.false(validatePlan(missing).ok);
});

test('a wrong version or hash is rejected', (t) => {
  t.false(validatePlan({ ...validPlan(), version: 2 }).ok);
  t.false(validatePlan({ ...validPlan(), hash: 'xyz' }).ok);
});
