/**
 * The files the view's page loads: its own script and style (cli/view/page/) and uPlot's browser
 * bundle from node_modules. The server serves exactly these names, and `lpt report --html`
 * inlines them, so the page needs no build step and no network.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const page = join(import.meta.dirname, 'page');

export interface Asset {
  readonly path: string;
  readonly contentType: string;
}

/** The page's own scripts, in the order the page loads them (each adds its part to the global `lpt` object). */
export const pageScripts = [
  'dom.js',
  'charts.js',
  'report.js',
  'run_state.js',
  'runs_page.js',
  'run_page.js',
  'main.js',
] as const;

const script = 'text/javascript; charset=utf-8';

export const assets: Readonly<Record<string, Asset>> = {
  'uplot.js': { path: require.resolve('uplot/dist/uPlot.iife.min.js'), contentType: script },
  'uplot.css': { path: require.resolve('uplot/dist/uPlot.min.css'), contentType: 'text/css; charset=utf-8' },
  'view.css': { path: join(page, 'view.css'), contentType: 'text/css; charset=utf-8' },
  ...Object.fromEntries(pageScripts.map((name) => [name, { path: join(page, name), contentType: script }])),
};

export function assetText(name: string): string {
  return readFileSync(assets[name]!.path, 'utf8');
}
