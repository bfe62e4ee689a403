/**
 * The run list (#/): every run under the served folders, refreshed every 5 s; ticked runs open
 * the comparison.
 */
(() => {
  'use strict';

  const lpt = (globalThis.lpt ??= {});
  const { el, duration, when, variantNames, getJson, problemList, statusBadge, progressText } = lpt.dom;

  function runLink(run) {
    return el('a', { href: `#/run/${encodeURIComponent(run.id)}` }, run.dir);
  }

  /** Draws the list into `app`; returns what stops its refreshing. */
  function runsPage(app) {
    const list = el('div', null, el('p', { class: 'muted' }, 'Reading the run directories…'));
    const selected = new Set();
    const compare = el(
      'button',
      {
        disabled: true,
        onclick: () =>
          (location.hash = `#/compare?${[...selected].map((id) => `run=${encodeURIComponent(id)}`).join('&')}`),
      },
      'Compare selected runs',
    );
    app.replaceChildren(el('h1', null, 'lpt runs'), el('p', null, compare), list);
    const draw = async () => {
      let body;
      try {
        body = await getJson('/api/runs');
      } catch (error) {
        list.replaceChildren(problemList([String(error)]));
        return;
      }
      if (body.runs.length === 0) {
        list.replaceChildren(el('p', { class: 'muted' }, `No run directories under ${body.roots.join(', ')}.`));
        return;
      }
      const rows = body.runs.map((run) => {
        const box = el('input', {
          type: 'checkbox',
          checked: selected.has(run.id),
          'aria-label': `select ${run.dir}`,
          onchange: (e) => {
            if (e.target.checked) selected.add(run.id);
            else selected.delete(run.id);
            compare.disabled = selected.size === 0;
          },
        });
        const table = run.table
          ? el(
              'table',
              { class: 'mini' },
              ...run.table.rows.map((r) =>
                el(
                  'tr',
                  null,
                  ...r.map((text, c) => (c === 1 ? null : el('td', { class: c > 1 ? 'num' : undefined }, text))),
                ),
              ),
            )
          : el('span', { class: 'muted' }, 'no results yet');
        return el(
          'tr',
          { 'data-run': run.id },
          el('td', null, box),
          el('td', null, runLink(run), problemList(run.problems)),
          el('td', null, run.experiment),
          el('td', null, variantNames(run.variants)),
          el('td', null, statusBadge(run), el('div', { class: 'muted small' }, run.statusDetail)),
          el('td', null, progressText(run.progress)),
          el('td', null, when(run.started)),
          el('td', { class: 'num' }, duration(run.seconds)),
          el('td', null, run.backend ?? ''),
          el('td', null, run.where),
          el('td', { class: 'results-cell' }, table),
        );
      });
      const head = [
        '',
        'run',
        'experiment',
        'variants',
        'status',
        'progress',
        'started',
        'duration',
        'backend',
        'where',
        'results (many / medium / few / overall)',
      ];
      list.replaceChildren(
        el(
          'table',
          { class: 'runs' },
          el('thead', null, el('tr', null, ...head.map((h) => el('th', null, h)))),
          el('tbody', null, ...rows),
        ),
      );
    };
    void draw();
    const timer = setInterval(draw, 5000);
    return () => clearInterval(timer);
  }

  lpt.runsPage = runsPage;
})();
