import test from 'ava';
import { parseRunResults } from '../../../runtime/report/results.ts';

const valid = {
  experiment: 'q',
  boundaries: 'many: n>100, few: n<=20, medium: the rest',
  variants: [{ variant: 'LPT', trainableParams: 10, backboneParams: 100, accuracy: { overall: 50, many: 60, medium: null, few: 40 } }],
};

test('a results file parses; null accuracies become NaN; per-class rows are optional', (t) => {
  const parsed = parseRunResults(JSON.stringify(valid));
  if (!parsed.ok) return t.fail(parsed.message);
  t.true(Number.isNaN(parsed.results.variants[0]!.accuracy.medium));
  t.is(parsed.results.variants[0]!.accuracy.few, 40);
  t.deepEqual(parsed.results.variants[0]!.perClass, []);
});

test('problems name the field and never throw', (t) => {
  const cases: [string, RegExp][] = [
    ['{"experiment": ', /^not valid JSON/],
    ['[]', /the file is not an object/],
    [JSON.stringify({ ...valid, variants: undefined }), /results\.variants is missing/],
    [JSON.stringify({ ...valid, experiment: 3 }), /results\.experiment is missing or not a string/],
    [JSON.stringify({ ...valid, variants: [{ ...valid.variants[0], accuracy: { overall: '50' } }] }), /variants\[0\]\.accuracy\.overall is missing or not a number/],
    [JSON.stringify({ ...valid, variants: [{ ...valid.variants[0], perClass: [{ class: 0 }] }] }), /variants\[0\]\.perClass\[0\]\.trainImages/],
    [JSON.stringify({ ...valid, variants: [{ ...valid.variants[0], trainCounts: [1, 'x'] }] }), /variants\[0\]\.trainCounts\[1\] is not a number/],
  ];
  for (const [text, message] of cases) {
    const parsed = parseRunResults(text);
    t.false(parsed.ok, text);
    if (!parsed.ok) t.regex(parsed.message, message);
  }
});
