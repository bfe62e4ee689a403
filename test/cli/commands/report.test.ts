import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { command } from '../../../cli/commands/report.ts';
import { UsageError } from '../../../cli/commands/command.ts';

const fixtures = resolve(import.meta.dirname, '../../fixtures/runs');

async function report(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await command.run(args, {
    cwd: fixtures,
    isTTY: false,
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
  });
  return { code, stdout, stderr };
}

test('two runs side by side in markdown, with the boundaries footnote', async (t) => {
  const { code, stdout, stderr } = await report(['quickstart', 'cifar100-lt']);
  t.is(code, 0);
  t.is(stderr, '');
  t.regex(stdout, /^\| Method +\| Trainable params \| Many \| Medium \| +Few \| Overall \|/);
  t.regex(stdout, /\| quickstart \/ LPT +\| +12\.7K \(1\.89%\) \|/);
  t.regex(stdout, /\| cifar100-lt \/ linear probe \|/);
  t.regex(stdout, /Shot groups by training images per class: many: n>100, few: n<=20, medium: the rest\./);
});

test('CSV format and a results file named directly', async (t) => {
  const { code, stdout } = await report(['quickstart/results.json', '--format', 'csv']);
  t.is(code, 0);
  t.is(stdout.split('\n')[0], 'run,variant,trainable_params,backbone_params,many,medium,few,overall,boundaries');
  t.is(stdout.trimEnd().split('\n').length, 3);
});

test('a missing or corrupt results.json is named, with every problem reported and exit 1', async (t) => {
  const { code, stdout, stderr } = await report(['corrupt', 'incomplete', 'nope', '.']);
  t.is(code, 1);
  t.is(stdout, '');
  t.regex(stderr, /corrupt\/results\.json: not valid JSON/);
  t.regex(stderr, /incomplete\/results\.json: variants\[0\]\.accuracy (is missing|must be object)/);
  t.regex(stderr, /nope: no such run directory/);
  t.regex(stderr, /results\.json: not found/);
});

test('bad usage is a UsageError', async (t) => {
  await t.throwsAsync(report([]), { instanceOf: UsageError });
  await t.throwsAsync(report(['quickstart', '--format', 'html']), {
    instanceOf: UsageError,
    message: /markdown or csv/,
  });
  await t.throwsAsync(report(['quickstart', '--plot', 'out.pdf']), {
    instanceOf: UsageError,
    message: /\.svg or \.png/,
  });
  await t.throwsAsync(report(['quickstart', '--colour']), { instanceOf: UsageError });
});

test('--plot writes an SVG and a PNG', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-report-'));
  const svgPath = join(dir, 'tail.svg');
  const svg = await report(['quickstart', 'cifar100-lt', '--plot', svgPath]);
  t.is(svg.code, 0);
  t.regex(svg.stderr, /wrote .*tail\.svg/);
  const text = readFileSync(svgPath, 'utf8');
  t.true(text.includes('quickstart / VPT') && text.includes('cifar100-lt / LPT'));
  const pngPath = join(dir, 'tail.png');
  const png = await report(['quickstart', '--plot', pngPath]);
  t.is(png.code, 0);
  t.true(existsSync(pngPath));
  t.deepEqual([...readFileSync(pngPath).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
});

test('--split picks the evaluated split of plans with several evaluate blocks; the footnotes name the others', async (t) => {
  const quickstart = JSON.parse(readFileSync(join(fixtures, 'quickstart/results.json'), 'utf8')) as {
    variants: { split?: string; accuracy: { overall: number } }[];
  };
  const val = quickstart.variants.map((v) => ({ ...v, split: 'val', accuracy: { ...v.accuracy, overall: 12.5 } }));
  const dir = mkdtempSync(join(tmpdir(), 'lpt-report-'));
  const both = { ...quickstart, variants: quickstart.variants.flatMap((v, i) => [v, val[i]!]) };
  writeFileSync(join(dir, 'results.json'), JSON.stringify(both));
  const first = await report([dir]);
  t.is(first.code, 0);
  t.regex(first.stdout, /Top-1 accuracy \(%\) on the test set\./);
  t.regex(first.stdout, /Also evaluated: val \(`lpt report --split val`\)\./);
  t.notRegex(first.stdout, /12\.5/);
  const picked = await report([dir, '--split', 'val']);
  t.is(picked.code, 0);
  t.regex(picked.stdout, /on the val split\./);
  t.regex(picked.stdout, /\| +12\.5 \|/);
  t.regex(picked.stdout, /Also evaluated: test/);
  const none = await report([dir, '--split', 'holdout']);
  t.is(none.code, 1);
  t.regex(none.stderr, /no result on the split 'holdout' \(evaluated: test, val\)/);
});

test('--html writes one self-contained file with the table lpt report prints, atomically', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-report-'));
  const out = join(dir, 'report.html');
  const { code, stdout, stderr } = await report(['quickstart', 'cifar100-lt', '--html', out]);
  t.is(code, 0);
  t.regex(stderr, /wrote .*report\.html/);
  const html = readFileSync(out, 'utf8');
  // Nothing fetched: no script or style by URL, and the chart library inlined (its banner names its home).
  t.notRegex(
    html,
    /<script[^>]+src=|<link[^>]+href=|https?:\/\/(?!www\.w3\.org\/2000\/svg|github\.com\/leeoniya\/uPlot)/,
  );
  t.true(html.includes('uPlot'));
  const data = JSON.parse(/<script type="application\/json" id="lpt-report">(.*?)<\/script>/s.exec(html)![1]!) as {
    table: { rows: string[][] };
  };
  const markdownRows = stdout
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| Method'))
    .map((l) =>
      l
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    );
  t.deepEqual(data.table.rows, markdownRows);
  t.deepEqual(
    readdirSync(dir).filter((f) => f !== 'report.html'),
    [],
  );
  await t.throwsAsync(report(['quickstart', '--html', 'out.pdf']), { instanceOf: UsageError, message: /\.html/ });
});

test('--html escapes what the runs name: no markup from results.json reaches the page', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-report-'));
  const results = JSON.parse(readFileSync(join(fixtures, 'quickstart/results.json'), 'utf8')) as {
    experiment: string;
    variants: { variant: string }[];
  };
  results.experiment = '</script><script>alert(1)</script>';
  results.variants[0]!.variant = '<img src=x onerror=alert(2)>';
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  const out = join(dir, 'report.html');
  t.is((await report([join(dir, 'results.json'), '--html', out])).code, 0);
  const html = readFileSync(out, 'utf8');
  t.false(html.includes('<script>alert(1)'));
  t.false(html.includes('<img src=x'));
  t.true(html.includes('\\u003cimg src=x onerror=alert(2)>'));
});
