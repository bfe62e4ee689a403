/**
 * Seeds in the results table: the variants of one row (results.json `row` and `seed`) become one
 * markdown row of mean ± sample standard deviation (n - 1), checked against values worked out by
 * hand; the footnote counts the seeds; CSV keeps one row per seed; single-seed tables are as before.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseRunResults, type RunResults, type VariantResults } from '../../../plan/results.ts';
import { groupSeeds, meanStd } from '../../../runtime/report/seeds.ts';
import { buildResultsTable, labelRuns, toCsv, toMarkdown } from '../../../runtime/report/table.ts';

const parsed = parseRunResults(
  readFileSync(new URL('../../fixtures/runs/quickstart/results.json', import.meta.url), 'utf8'),
);
if (!parsed.ok) throw new Error(parsed.message);
const quick = parsed.results;
const [vptBase, lptBase] = quick.variants as [VariantResults, VariantResults];

const seedRow = (
  v: VariantResults,
  row: string,
  seed: number,
  overall: number,
  many: number,
  medium: number,
  few: number,
): VariantResults => ({ ...v, variant: `${row}, seed=${seed}`, row, seed, accuracy: { overall, many, medium, few } });

// LPT overall 60, 62, 67: mean 63, sample variance (9 + 1 + 16) / 2 = 13, std 3.606.
// LPT few 10, 10, 13: mean 11, variance (1 + 1 + 4) / 2 = 3, std 1.732.
// VPT overall 40, 44: mean 42, variance (4 + 4) / 1 = 8, std 2.828.
const seeded: RunResults = {
  ...quick,
  variants: [
    seedRow(lptBase, 'LPT', 0, 60, 90, 50, 10),
    seedRow(lptBase, 'LPT', 1, 62, 90, 50, 10),
    seedRow(lptBase, 'LPT', 2, 67, 90, 53, 13),
    seedRow(vptBase, 'VPT', 0, 40, 80, 20, NaN),
    seedRow(vptBase, 'VPT', 1, 44, 82, 22, NaN),
  ],
};

test('meanStd is the mean and the sample standard deviation (n - 1)', (t) => {
  const { mean, std } = meanStd([60, 62, 67]);
  t.is(mean, 63);
  t.true(Math.abs(std - Math.sqrt(13)) < 1e-12);
  t.true(Number.isNaN(meanStd([5]).std), 'one value has no sample deviation');
  t.is(meanStd([5]).mean, 5);
});

test('groupSeeds keeps run order and puts the seeds of a row together', (t) => {
  const rows = groupSeeds([seeded.variants[0]!, seeded.variants[3]!, seeded.variants[1]!, vptBase]);
  t.deepEqual(
    rows.map((r) => [r.name, r.seeds]),
    [
      ['LPT', [0, 1]],
      ['VPT', [0]],
      ['VPT', undefined],
    ],
  );
});

test('a row of seeds shows mean ± std per group; the footnote says over how many seeds and which', (t) => {
  const table = buildResultsTable(labelRuns([{ dir: 'runs/q', results: seeded }]));
  t.deepEqual(table.rows, [
    ['LPT', '12.7K (1.89%)', '90.0 ± 0.0', '51.0 ± 1.7', '11.0 ± 1.7', '63.0 ± 3.6'],
    ['VPT', '11.5K (1.72%)', '81.0 ± 1.4', '21.0 ± 1.4', '–', '42.0 ± 2.8'],
  ]);
  t.true(
    table.footnotes.some((n) => n.includes('the seeds of each row: LPT 3 (0, 1, 2); VPT 2 (0, 1)')),
    table.footnotes.join('\n'),
  );
  const even: RunResults = { ...seeded, variants: seeded.variants.filter((v) => v.seed !== 2) };
  const notes = buildResultsTable(labelRuns([{ dir: 'runs/q', results: even }])).footnotes;
  t.true(
    notes.includes('Mean ± sample standard deviation (n − 1) over 2 seeds (0, 1); the CSV output has each seed.'),
    notes.join('\n'),
  );
  const lone: RunResults = { ...seeded, variants: seeded.variants.filter((v) => v.row === 'LPT' || v.seed === 0) };
  const loneTable = buildResultsTable(labelRuns([{ dir: 'runs/q', results: lone }]));
  t.deepEqual(loneTable.rows[1]!.slice(2), ['80.0', '20.0', '–', '40.0'], 'one seed: the value alone');
  t.true(
    loneTable.footnotes.some((n) => n.includes('LPT 3 (0, 1, 2); VPT 1 (0); a row of one seed shows its value alone')),
    loneTable.footnotes.join('\n'),
  );
});

test('CSV keeps one row per seed, with its row and seed', (t) => {
  const lines = toCsv(labelRuns([{ dir: 'a', results: seeded }]))
    .trimEnd()
    .split('\n');
  t.is(lines[0], 'run,variant,trainable_params,backbone_params,many,medium,few,overall,boundaries,row,seed');
  t.is(lines.length, 6);
  t.regex(
    lines[3]!,
    /^quickstart,"LPT, seed=2",\d+,\d+,90,53,13,67,"many: n>100, few: n<=20, medium: the rest",LPT,2$/,
  );
});

test('single-seed tables are unchanged: no ± and no seeds footnote; the footnote names the split evaluated', (t) => {
  const table = buildResultsTable(labelRuns([{ dir: 'a', results: quick }]));
  t.false(table.rows.flat().some((c) => c.includes('±')));
  t.false(table.footnotes.some((n) => n.includes('seed')));
  t.true(table.footnotes[0]!.startsWith('Top-1 accuracy (%) on the test set.'));
  const val: RunResults = { ...quick, variants: quick.variants.map((v) => ({ ...v, split: 'val' })) };
  t.true(
    toMarkdown(buildResultsTable(labelRuns([{ dir: 'a', results: val }]))).includes(
      'Top-1 accuracy (%) on the val split.',
    ),
  );
  const old: RunResults = { ...quick, variants: quick.variants.map(({ split: _, ...v }) => v) };
  t.true(
    buildResultsTable(labelRuns([{ dir: 'a', results: old }])).footnotes[0]!.includes(
      'the evaluated split (not recorded in results.json)',
    ),
  );
});
