/**
 * The page's small shared pieces: building elements (text is always set as text, never parsed as
 * HTML), number and date formats as `lpt report` writes them, fetching JSON, and the status badge.
 */
(() => {
  'use strict';

  const lpt = (globalThis.lpt ??= {});

  /** An element with attributes/properties and children (strings become text nodes). */
  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props ?? {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'checked') node.checked = value;
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(
        typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child,
      );
    }
    return node;
  }

  function accuracy(value) {
    return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(1) : '–';
  }

  function duration(seconds) {
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '';
    const s = Math.max(0, Math.round(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const pad = (n) => String(n).padStart(2, '0');
    return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
  }

  /** 2026-12-06 17:18 in the reader's time zone. */
  function when(ms) {
    if (typeof ms !== 'number') return '';
    const d = new Date(ms);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  /** Variant names, with their seeds when the run has several. */
  function variantNames(variants) {
    const seeds = new Set(variants.map((v) => v.seed));
    return variants.map((v) => (seeds.size > 1 ? `${v.name} (seed ${v.seed})` : v.name)).join(', ');
  }

  function bytes(n) {
    return n / 2 ** 20;
  }

  async function getJson(url) {
    const response = await fetch(url);
    const body = await response.json();
    if (!response.ok && !body.problems) throw new Error(`${url}: HTTP ${response.status}`);
    return body;
  }

  function problemList(problems) {
    if (!problems || problems.length === 0) return null;
    return el('ul', { class: 'problems' }, ...problems.map((p) => el('li', null, p)));
  }

  function statusBadge(summary) {
    return el(
      'span',
      { class: `status status-${summary.status.replace(' ', '-')}`, title: summary.statusDetail },
      summary.status,
    );
  }

  function progressText(p) {
    const current = typeof p.current === 'number' ? ` · ${Math.round(100 * p.current)}% of the current one` : '';
    return `${p.done}/${p.of} variants${current}`;
  }

  lpt.dom = { el, accuracy, duration, when, variantNames, bytes, getJson, problemList, statusBadge, progressText };
})();
