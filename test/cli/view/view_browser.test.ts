/**
 * `lpt view` and `lpt report --html` in a real browser (Debian's chromium through playwright-core):
 * the run list shows a finished run with the numbers `lpt report` prints, a live run's page
 * advances as events are written (no reload), two runs compare side by side, and the HTML report
 * opens offline from disk with the same numbers. Each page's chart is checked drawn: its series
 * count, and pixels in the series' colour on the canvas.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { main } from '../../../cli/main.ts';
import { startViewServer, type ViewServer } from '../../../cli/view/server.ts';
import { chromiumPath, hasChromium, launchChromium, type Browser } from '../../../scripts/chromium.ts';
import { recordingIO } from '../../helpers/cli_io.ts';
import {
  appendEvents,
  handMadeRunDir,
  prepareRunDirs,
  runStart,
  step,
  writeLock,
} from '../../helpers/run_dir_fixture.ts';
import { tinyPlans } from '../../helpers/tiny_run.ts';

const skipped = !hasChromium();
if (skipped)
  console.log(
    `test/cli/view/view_browser.test.ts: browser tests skipped: no chromium at ${chromiumPath} (Debian package chromium: apt-get install chromium)`,
  );
const browserTest = skipped ? test.serial.skip : test.serial;

const run = promisify(execFile);
const repository = join(import.meta.dirname, '../../..');
const fixtures = join(repository, 'test/fixtures/runs');
let cwd: string;
let root: string;
let finished: string;
let browser: Browser;
let server: ViewServer;

test.before(async () => {
  if (skipped) return;
  await prepareRunDirs();
  cwd = tinyPlans().dir;
  root = join(cwd, 'runs');
  // A child process, as a user runs it: the plan's relative paths are relative to its directory.
  await run(process.execPath, [join(repository, 'bin/lpt.js'), 'run', 'tiny.lpt', '--out', 'runs'], { cwd });
  finished = join(root, 'tiny', readdirSync(join(root, 'tiny'))[0]!);
  cpSync(join(fixtures, 'quickstart'), join(root, 'quickstart', 'fixture'), { recursive: true });
  browser = await launchChromium();
  server = await startViewServer({ roots: [root], host: '127.0.0.1', port: 0, cwd });
});

test.after.always(async () => {
  await browser?.close();
  await server?.close();
});

/** The table rows `lpt report ARGS` prints, as cells. */
async function reportRows(...args: string[]): Promise<string[][]> {
  const io = recordingIO(cwd);
  const code = await main(['report', ...args], io);
  if (code !== 0) throw new Error(io.err.join(''));
  return io.out
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Method'))
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

// Functions run in the page see the DOM; the project's TypeScript has no DOM types, so they
// name the little of it they use.
interface PageNode {
  readonly textContent: string | null;
  readonly children: Iterable<PageNode>;
  readonly dataset: Record<string, string | undefined>;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageCanvas | null;
}
interface PageCanvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
}
type PageGlobals = { document: { querySelector(selector: string): PageNode | null }; stayed?: boolean };

async function tableCells(page: Page, selector: string): Promise<string[][]> {
  return page
    .locator(selector)
    .evaluateAll((rows) =>
      rows.map((row) => [...(row as unknown as PageNode).children].map((cell) => cell.textContent ?? '')),
    );
}

/**
 * Pixels of the chart's canvas near the colour of one of its series (the page's palette): the
 * lines were drawn, not only the axes and grid (grey).
 */
async function seriesPixels(page: Page, chart: string): Promise<number> {
  return page
    .locator(chart)
    .first()
    .evaluate((element) => {
      const box = element as unknown as PageNode;
      const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
      const colours = palette
        .slice(0, Number(box.dataset.series))
        .map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
      const canvas = box.querySelector('canvas')!;
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        const near = colours.some(
          ([r, g, b]) => Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 60,
        );
        if (near && data[i + 3]! > 200) n++;
      }
      return n;
    });
}

/** Resolves once the element's text (or the attribute) is `value`. */
async function waitForText(page: Page, selector: string, value: string, attribute?: string): Promise<void> {
  await page.waitForFunction(
    ({ selector, value, attribute }) => {
      const node = (globalThis as unknown as PageGlobals).document.querySelector(selector);
      return (attribute ? node?.getAttribute(attribute) : node?.textContent) === value;
    },
    { selector, value, attribute },
    { timeout: 15_000 },
  );
}

/** The loss terms of the first variant's steps in `dir`/events.jsonl. */
function lossTerms(dir: string): string[] {
  const events = readFileSync(join(dir, 'events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; variant?: string; losses?: Record<string, number> });
  const steps = events.filter((e) => e.type === 'step');
  return [...new Set(steps.filter((e) => e.variant === steps[0]!.variant).flatMap((e) => Object.keys(e.losses!)))];
}

async function openPage(t: { teardown: (fn: () => Promise<void>) => void }, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  t.teardown(async () => {
    await page.close();
    if (errors.length > 0) throw new Error(`the page threw: ${errors.join('; ')}`);
  });
  await page.goto(url);
  return page;
}

browserTest('the run list shows a finished run with the numbers lpt report prints', async (t) => {
  const page = await openPage(t, server.url);
  const id = `0/tiny/${finished.split('/').at(-1)}`;
  const row = page.locator(`tr[data-run="${id}"]`);
  await row.waitFor();
  t.is(await row.locator('.status').textContent(), 'finished');
  const expected = (await reportRows(finished)).map((cells) => cells.filter((_, c) => c !== 1));
  t.is(expected.length, 2);
  t.deepEqual(await tableCells(page, `tr[data-run="${id}"] table.mini tr`), expected);
  t.regex((await row.textContent()) ?? '', /2\/2 variants/);
  t.is(await page.locator(`tr[data-run="0/quickstart/fixture"] .status`).textContent(), 'finished');
});

browserTest("a finished run's page draws its curves, evaluations, table and long-tail plot", async (t) => {
  const id = `0/tiny/${finished.split('/').at(-1)}`;
  const page = await openPage(t, `${server.url}#/run/${encodeURIComponent(id)}`);
  await page.locator('.long-tail svg').waitFor();
  await page.locator('.chart[data-title="Loss terms"] canvas').waitFor();
  t.is(await page.locator('.long-tail svg g.series').count(), 2);
  t.deepEqual(await tableCells(page, 'table.results tbody tr'), await reportRows(finished));
  // The last variant to run (VPT) is shown: its one loss term ce, and total.
  t.is(await page.locator('.chart[data-title="Loss terms"]').getAttribute('data-series'), '2');
  t.true((await seriesPixels(page, '.chart[data-title="Loss terms"]')) > 50);
  t.true((await page.locator('table.evaluations tbody tr').count()) >= 2);
});

browserTest("a live run's page advances as the run writes events, without a reload", async (t) => {
  const live = handMadeRunDir(root, 'live');
  writeLock(live);
  const phase = {
    type: 'phase_start',
    variant: 'tiny',
    phase: 'one',
    epochs: 4,
    stepsPerEpoch: 10,
    trainable: [],
  } as const;
  appendEvents(live, [runStart('tiny'), phase, step(1, 'tiny'), step(2, 'tiny')]);
  const page = await openPage(t, `${server.url}#/run/${encodeURIComponent('0/tiny/live')}`);
  const loss = page.locator('.chart[data-title="Loss terms"]');
  await waitForText(page, '.event-count', '4');
  await page.evaluate(() => ((globalThis as unknown as PageGlobals).stayed = true));
  t.is(await page.locator('.run-header .status').textContent(), 'running');
  t.is(await loss.getAttribute('data-points'), '2');
  for (let n = 3; n <= 12; n += 3) {
    appendEvents(live, [step(n, 'tiny'), step(n + 1, 'tiny'), step(n + 2, 'tiny')]);
    await waitForText(page, '.event-count', String(n + 4));
  }
  await waitForText(page, '.chart[data-title="Loss terms"]', '14', 'data-points');
  t.is(await page.evaluate(() => (globalThis as unknown as PageGlobals).stayed), true);
  t.is(await page.locator('li[data-phase="one"] progress').getAttribute('value'), '0.35');
  t.true((await seriesPixels(page, '.chart[data-title="Loss terms"]')) > 50);
  appendEvents(live, [{ type: 'run_end', runDir: live, seconds: 5, stopped: true }]);
  rmSync(join(live, 'run.lock'));
  await waitForText(page, '.run-header .status', 'stopped');
  t.pass();
});

browserTest('two runs compared show both in the table, the long-tail plot and the curves', async (t) => {
  const ids = [`0/tiny/${finished.split('/').at(-1)}`, '0/quickstart/fixture'];
  const page = await openPage(
    t,
    `${server.url}#/compare?${ids.map((id) => `run=${encodeURIComponent(id)}`).join('&')}`,
  );
  await page.locator('.long-tail svg').waitFor();
  const expected = await reportRows(finished, join(root, 'quickstart', 'fixture'));
  t.deepEqual(
    expected.map((cells) => cells[0]),
    ['tiny / tiny', 'tiny / VPT', 'quickstart / VPT', 'quickstart / LPT'],
  );
  t.deepEqual(await tableCells(page, 'table.results tbody tr'), expected);
  t.is(await page.locator('.long-tail svg g.series').count(), 4);
  t.is(await page.locator('table.per-class thead th').count(), 3 + 4);
  await page.locator('.curves .chart canvas').first().waitFor();
  t.is(await page.locator('.curves').count(), 4);
  t.true((await seriesPixels(page, '.curves .chart')) > 50);
  t.regex(
    (await page.locator('.report').textContent()) ?? '',
    /The settings of quickstart are not shown: .*run\.json: no such file/,
  );
});

browserTest('lpt report --html writes one file that opens offline with the same numbers and plots', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'lpt-html-')), 'report.html');
  const expected = await reportRows(finished, join(root, 'quickstart', 'fixture'), '--html', out);
  const offline = await launchChromium({ offline: true });
  t.teardown(() => offline.close());
  const requested: string[] = [];
  await offline.context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    requested.push(url);
    return route.abort();
  });
  const page = await offline.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(out).href);
  await page.locator('.curves .chart canvas').first().waitFor();
  t.deepEqual(await tableCells(page, 'table.results tbody tr'), expected);
  t.is(await page.locator('.long-tail svg g.series').count(), 4);
  t.is(
    await page.locator('.curves .chart[data-title="Loss terms"]').first().getAttribute('data-series'),
    String(lossTerms(finished).length),
  );
  t.true((await seriesPixels(page, '.curves .chart')) > 50);
  t.deepEqual(requested, []);
  t.deepEqual(errors, []);
});

browserTest('names from results.json show as text, never as markup; per-class columns sort', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'lpt-html-'));
  const results = JSON.parse(readFileSync(join(fixtures, 'quickstart/results.json'), 'utf8')) as {
    variants: { variant: string }[];
  };
  results.variants[0]!.variant = '<img src=x onerror=alert(2)>';
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  await reportRows(join(dir, 'results.json'), '--html', join(dir, 'report.html'));
  const page = await browser.context.newPage();
  t.teardown(() => page.close());
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(pathToFileURL(join(dir, 'report.html')).href);
  await page.locator('table.results').waitFor();
  t.is(await page.locator('table.results tbody tr td').first().textContent(), '<img src=x onerror=alert(2)>');
  t.is(await page.locator('img').count(), 0);
  t.deepEqual(dialogs, []);
  const trainImages = () => tableCells(page, 'table.per-class tbody tr').then((rows) => rows.map((r) => Number(r[1])));
  const before = await trainImages();
  await page.locator('table.per-class th', { hasText: 'train images' }).click();
  const ascending = await trainImages();
  t.deepEqual(
    ascending,
    [...before].sort((a, b) => a - b),
  );
  await page.locator('table.per-class th', { hasText: 'train images' }).click();
  t.deepEqual(await trainImages(), [...ascending].reverse());
});
