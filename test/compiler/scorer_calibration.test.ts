/**
 * The scorer's calibration option (`moe(..., calibrate: temperature, calibrate_on: SPLIT)`): absent
 * from the plan by default (plans as before), written into the plan when asked, and checked: a
 * declared split, not one the experiment evaluates, and only together with `calibrate: temperature`.
 */
import test from 'ava';
import { codes, compileText, twoExpertSource } from '../helpers/compile_source.ts';

const lptpp = (scorerArgs: string) => twoExpertSource({ scorerArgs, data: 'fit = holdout(per_class: 2)' });

test('no calibration by default: the plan has no calibration entry', (t) => {
  const result = compileText(lptpp(''));
  t.deepEqual(codes(result), []);
  t.false('calibration' in result.plans[0]!.modules.scorer!);
});

test('temperature calibration is written into the plan with its split (train unless named)', (t) => {
  const held = compileText(lptpp(', calibrate: temperature, calibrate_on: fit'));
  t.deepEqual(codes(held), []);
  t.deepEqual(held.plans[0]!.modules.scorer!.calibration, { method: 'temperature', split: 'fit' });
  const train = compileText(lptpp(', calibrate: temperature'));
  t.deepEqual(codes(train), []);
  t.deepEqual(train.plans[0]!.modules.scorer!.calibration, { method: 'temperature', split: 'train' });
  const none = compileText(lptpp(', calibrate: none'));
  t.false('calibration' in none.plans[0]!.modules.scorer!);
});

test('the calibration split is checked: declared, not evaluated, and only with calibrate: temperature', (t) => {
  const unknown = compileText(lptpp(', calibrate: temperature, calibrate_on: fitt'));
  t.true(codes(unknown).includes(2009));
  t.true(
    unknown.diagnostics.some((d) => d.message.includes("'fitt'") && d.message.includes('fit')),
    'names the split and suggests the close one',
  );
  const evaluated = compileText(lptpp(', calibrate: temperature, calibrate_on: test'));
  t.true(codes(evaluated).includes(2075));
  t.true(evaluated.diagnostics.some((d) => d.message.includes("'test', which the experiment also evaluates")));
  const alone = compileText(lptpp(', calibrate_on: fit'));
  t.true(codes(alone).includes(2075));
  const badMethod = compileText(lptpp(', calibrate: platt'));
  t.true(codes(badMethod).length > 0);
  t.is(badMethod.plans.length, 0);
});
