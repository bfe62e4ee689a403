/**
 * The one HTML page of `lpt view` and `lpt report --html`. Served, it links the assets by URL and
 * the script fetches its data; as a report file, it carries the assets and the report data inline
 * (a JSON script element the page script reads), so it opens from disk with no network.
 */
import { assetText, pageScripts } from './assets.ts';
import type { ReportModel } from './report_model.ts';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text inside <script> or <style>: only a closing tag could end it early. */
function inlineText(text: string): string {
  return text.replace(/<\/(script|style)/gi, '<\\/$1');
}

function shell(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head}
</head>
<body>
<main id="app"><p class="muted">Loading…</p></main>
${body}
</body>
</html>
`;
}

/** The page `lpt view` serves at /. */
export function servedPage(): string {
  const head = [
    '<link rel="stylesheet" href="/assets/uplot.css">',
    '<link rel="stylesheet" href="/assets/view.css">',
  ].join('\n');
  const body = ['uplot.js', ...pageScripts].map((name) => `<script src="/assets/${name}"></script>`).join('\n');
  return shell('lpt view', head, body);
}

/** `lpt report --html`: one file with the styles, scripts and `model` inside. */
export function renderHtmlReport(model: ReportModel): string {
  const head = `<style>\n${inlineText(assetText('uplot.css'))}\n${inlineText(assetText('view.css'))}\n</style>`;
  // JSON in a script element: `<` escaped, so no text in it can close the element.
  const data = JSON.stringify(model).replace(/</g, '\\u003c');
  const body = [
    `<script type="application/json" id="lpt-report">${data}</script>`,
    ...['uplot.js', ...pageScripts].map((name) => `<script>\n${inlineText(assetText(name))}\n</script>`),
  ].join('\n');
  return shell(model.title, head, body);
}
