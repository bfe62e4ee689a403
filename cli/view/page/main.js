/**
 * The page of `lpt view` and `lpt report --html` (plain browser scripts, no build step: dom.js,
 * charts.js, report.js, run_state.js, runs_page.js, run_page.js, then this one). Served, it routes
 * by the URL's hash: #/ the run list, #/run/ID one run live, #/compare?run=A&run=B the report of
 * selected runs. As a report file it renders the report data inlined in the page.
 */
(() => {
  'use strict';

  const lpt = (globalThis.lpt ??= {});
  const { el, getJson, problemList } = lpt.dom;
  const { renderReport } = lpt.report;

  const app = document.getElementById('app');

  async function comparePage(ids) {
    const into = el('div', null, el('p', { class: 'muted' }, 'Computing the report…'));
    app.replaceChildren(
      el('p', null, el('a', { href: '#/' }, '← all runs')),
      el('h1', null, `Compare ${ids.length} run${ids.length === 1 ? '' : 's'}`),
      into,
    );
    const model = await getJson(`/api/report?${ids.map((id) => `run=${encodeURIComponent(id)}`).join('&')}`);
    if (model.problems) into.replaceChildren(problemList(model.problems));
    else renderReport(model, into);
  }

  /** What the page shown last needs stopped when another is shown (a timer, an event stream). */
  let leavePage = () => {};

  function route() {
    leavePage();
    leavePage = () => {};
    const hash = location.hash.replace(/^#/, '');
    if (hash.startsWith('/run/')) leavePage = lpt.runPage(app, decodeURIComponent(hash.slice('/run/'.length)));
    else if (hash.startsWith('/compare?'))
      void comparePage(new URLSearchParams(hash.slice('/compare?'.length)).getAll('run'));
    else leavePage = lpt.runsPage(app);
  }

  const inline = document.getElementById('lpt-report');
  if (inline) {
    const model = JSON.parse(inline.textContent);
    app.replaceChildren(
      el('h1', null, model.title),
      el('p', { class: 'muted' }, `Run directories: ${model.runs.map((r) => r.dir).join(', ')}`),
    );
    const into = el('div');
    app.append(into);
    renderReport(model, into);
  } else {
    window.addEventListener('hashchange', route);
    route();
  }
})();
