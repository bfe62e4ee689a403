import test from 'ava';
import { parseRunResults, serializeRunResults, type RunResults } from '../../plan/results.ts';

const valid = {
  experiment: 'q',
  boundaries: 'many: n>100, few: n<=20, medium: the rest',
  variants: [
    {
      variant: 'LPT',
      trainableParams: 10,
      backboneParams: 100,
      accuracy: { overall: 50, many: 60, medium: null, few: 40 },
    },
  ],
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
    ['[]', /the file must be object/],
    [JSON.stringify({ ...valid, variants: undefined }), /the file\.variants is missing/],
    [JSON.stringify({ ...valid, experiment: 3 }), /experiment must be string/],
    [
      JSON.stringify({
        ...valid,
        variants: [{ ...valid.variants[0], accuracy: { overall: '50', many: 1, medium: 1, few: 1 } }],
      }),
      /variants\[0\]\.accuracy\.overall must be number/,
    ],
    [
      JSON.stringify({ ...valid, variants: [{ ...valid.variants[0], accuracy: { overall: 50 } }] }),
      /variants\[0\]\.accuracy\.many is missing/,
    ],
    [
      JSON.stringify({ ...valid, variants: [{ ...valid.variants[0], perClass: [{ class: 0 }] }] }),
      /variants\[0\]\.perClass\[0\]\.trainImages is missing/,
    ],
    [
      JSON.stringify({ ...valid, variants: [{ ...valid.variants[0], trainCounts: [1, 'x'] }] }),
      /variants\[0\]\.trainCounts\[1\] must be integer/,
    ],
    [
      JSON.stringify({ ...valid, variants: [{ ...valid.variants[0], typo: 1 }] }),
      /variants\[0\] must NOT have additional properties/,
    ],
  ];
  for (const [text, message] of cases) {
    const parsed = parseRunResults(text);
    t.false(parsed.ok, text);
    if (!parsed.ok) t.regex(parsed.message, message);
  }
});

test('writing checks the results first: a valid one round-trips (NaN as null), an invalid one is refused', (t) => {
  const results: RunResults = {
    experiment: 'q',
    boundaries: 'b',
    variants: [
      {
        variant: 'LPT',
        planHash: 'h',
        trainableParams: 10,
        backboneParams: 100,
        accuracy: { overall: 50, many: 60, medium: NaN, few: 40 },
        trainCounts: [3, 0],
        perClass: [
          { class: 0, trainImages: 3, testImages: 2, correct: 1, accuracy: 50 },
          { class: 1, trainImages: 0, testImages: 0, correct: 0, accuracy: NaN },
        ],
        seconds: 1.5,
      },
    ],
  };
  const text = serializeRunResults(results);
  t.regex(text, /"medium": null/);
  const back = parseRunResults(text);
  if (!back.ok) return t.fail(back.message);
  t.deepEqual(back.results, results);
  const broken = { ...results, variants: [{ ...results.variants[0]!, trainableParams: -1 }] };
  t.throws(() => serializeRunResults(broken), {
    message: /invalid results\.json.*variants\[0\]\.trainableParams must be >= 0/,
  });
});
