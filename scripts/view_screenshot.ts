/**
 * The README's screenshot of `lpt view` (docs/view.png): a real quickstart run, its page in
 * Debian's chromium once the charts are drawn.
 *   npx tsx scripts/view_screenshot.ts [RUN_DIR]
 * Without RUN_DIR it first runs `lpt run experiments/quickstart.lpt` into a temporary folder
 * (about a minute). Needs /usr/bin/chromium (apt-get install chromium).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startViewServer } from '../cli/view/server.ts';
import { launchChromium } from './chromium.ts';

const root = resolve(import.meta.dirname, '..');

function quickstartRun(): string {
  const out = mkdtempSync(join(tmpdir(), 'lpt-view-shot-'));
  const run = spawnSync(
    process.execPath,
    [join(root, 'bin/lpt.js'), 'run', 'experiments/quickstart.lpt', '--out', out],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) throw new Error(`lpt run experiments/quickstart.lpt failed (${run.status})`);
  const experiment = join(out, 'quickstart');
  return join(experiment, readdirSync(experiment)[0]!);
}

const runDir = resolve(process.argv[2] ?? quickstartRun());
const server = await startViewServer({ roots: [dirname(runDir)], host: '127.0.0.1', port: 0, cwd: dirname(runDir) });
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 1500 });
  const id = `0/${runDir.split('/').at(-1)}`;
  await page.goto(`${server.url}#/run/${encodeURIComponent(id)}`);
  await page.waitForSelector('.chart[data-title="Memory"] canvas');
  await page.waitForSelector('.long-tail svg');
  const target = join(root, 'docs/view.png');
  await page.screenshot({ path: target, fullPage: false });
  console.log(`wrote ${target} from ${runDir}`);
} finally {
  await browser.close();
  await server.close();
}
