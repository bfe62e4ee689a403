import test from 'ava';
import { readFileSync } from 'node:fs';
import { parseRunResults, type RunResults } from '../../../plan/results.ts';
import { buildResultsTable, labelRuns, toCsv, toMarkdown } from '../../../runtime/report/table.ts';

function fixture(name: string): RunResults {
  const parsed = parseRunResults(
    readFileSync(new URL(`../../fixtures/runs/${name}/results.json`, import.meta.url), 'utf8'),
  );
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.results;
}

const quick = fixture('quickstart');
const cifar = fixture('cifar100-lt');

test('one run: method is the variant; params with share; groups in paper order; boundaries in a footnote', (t) => {
  const table = buildResultsTable(labelRuns([{ dir: 'runs/q', results: quick }]));
  t.deepEqual(table.header, ['Method', 'Trainable params', 'Many', 'Medium', 'Few', 'Overall']);
  const lpt = quick.variants[1]!;
  t.deepEqual(table.rows[1], [
    'LPT',
    '12.7K (1.89%)',
    lpt.accuracy.many.toFixed(1),
    lpt.accuracy.medium.toFixed(1),
    lpt.accuracy.few.toFixed(1),
    lpt.accuracy.overall.toFixed(1),
  ]);
  t.true(table.footnotes.some((n) => n.includes('many: n>100, few: n<=20, medium: the rest')));
});

test('several runs: each method is prefixed by its run; runs of one experiment add their directory', (t) => {
  const two = buildResultsTable(
    labelRuns([
      { dir: 'a', results: quick },
      { dir: 'b', results: cifar },
    ]),
  );
  t.deepEqual(
    two.rows.map((r) => r[0]),
    ['quickstart / VPT', 'quickstart / LPT', 'cifar100-lt / linear probe', 'cifar100-lt / LPT'],
  );
  t.is(two.rows[3]![1], '1.03M (1.20%)');
  const same = labelRuns([
    { dir: 'runs/quickstart/t1', results: quick },
    { dir: 'runs/quickstart/t2', results: quick },
  ]);
  t.deepEqual(
    same.map((r) => r.label),
    ['quickstart (t1)', 'quickstart (t2)'],
  );
  const clash = labelRuns([
    { dir: 'x/t1', results: quick },
    { dir: 'y/t1', results: quick },
  ]);
  t.deepEqual(
    clash.map((r) => r.label),
    ['x/t1', 'y/t1'],
  );
});

test('differing boundaries get one footnote per run', (t) => {
  const other = { ...cifar, boundaries: 'many: n>=100, few: n<20, medium: the rest' };
  const table = buildResultsTable(
    labelRuns([
      { dir: 'a', results: quick },
      { dir: 'b', results: other },
    ]),
  );
  t.true(table.footnotes.some((n) => n.startsWith('Shot groups of quickstart: many: n>100')));
  t.true(table.footnotes.some((n) => n.startsWith('Shot groups of cifar100-lt: many: n>=100')));
});

test('markdown: aligned columns, right-aligned numbers, a dash for an empty group', (t) => {
  const empty: RunResults = {
    ...quick,
    variants: [{ ...quick.variants[0]!, variant: 'a|b', accuracy: { overall: 50, many: 60, medium: NaN, few: 40 } }],
  };
  const md = toMarkdown(buildResultsTable(labelRuns([{ dir: 'a', results: empty }])));
  const lines = md.split('\n');
  t.regex(lines[0]!, /^\| Method +\| Trainable params \| Many \| Medium \| +Few \| Overall \|$/);
  t.regex(lines[1]!, /^\|-+\|-+:\|-+:\|-+:\|-+:\|-+:\|$/);
  t.regex(lines[2]!, /^\| a\\\|b +\| +11\.5K \(1\.72%\) \| 60\.0 \| +– \| 40\.0 \| +50\.0 \|$/);
  t.is(new Set(lines.slice(0, 3).map((l) => l.length)).size, 1);
  t.is(lines[3], '');
});

test('CSV: raw numbers, one row per variant, empty cell for NaN, quoted boundaries', (t) => {
  const nan: RunResults = {
    ...quick,
    variants: [{ ...quick.variants[0]!, accuracy: { overall: 1, many: 2, medium: NaN, few: 3 } }],
  };
  const lines = toCsv(labelRuns([{ dir: 'a', results: nan }]))
    .trimEnd()
    .split('\n');
  t.is(lines[0], 'run,variant,trainable_params,backbone_params,many,medium,few,overall,boundaries');
  t.is(lines[1], 'quickstart,VPT,11530,670464,2,,3,1,"many: n>100, few: n<=20, medium: the rest"');
});
