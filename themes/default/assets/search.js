// debrief search: runs in the browser over the index the build wrote to
// search-index.js (a script, not JSON, so it loads from file:// too).
// Words are matched as prefixes; every word must match. Results keep the
// index's order, newest first, with title matches ahead.
(function () {
  'use strict';
  const form = document.querySelector('[data-search]');
  const out = document.querySelector('[data-search-results]');
  const status = document.querySelector('[data-search-status]');
  const ix = window.DEBRIEF_SEARCH;
  if (!form || !out) return;
  const input = form.querySelector('input[name=q]');
  const root = '../';
  const MAX = 50;
  if (!ix) { status.textContent = 'The search index did not load.'; return; }
  const decoded = new Map();

  function postings(i) {
    let p = decoded.get(i);
    if (!p) {
      p = [];
      let d = 0;
      for (const gap of ix.postings[i].split(',')) { d += parseInt(gap, 36); p.push(d); }
      decoded.set(i, p);
    }
    return p;
  }

  // The range of terms that start with prefix, by binary search.
  function range(prefix) {
    let lo = 0, hi = ix.terms.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (ix.terms[m] < prefix) lo = m + 1; else hi = m; }
    let end = lo;
    while (end < ix.terms.length && ix.terms[end].startsWith(prefix)) end++;
    return [lo, end];
  }

  function tokens(q) {
    return q.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2);
  }

  function docsFor(word, exact) {
    const [lo, end] = range(word);
    const set = new Set();
    for (let i = lo; i < end; i++) {
      if (exact && ix.terms[i] !== word) continue;
      for (const d of postings(i)) set.add(d);
    }
    return set;
  }

  function search(q) {
    const words = tokens(q);
    if (words.length === 0) return null;
    let result = null;
    for (const [i, w] of words.entries()) {
      // Short words match whole terms only, or they would match half the
      // index, except the last one, which may still be being typed.
      const s = docsFor(w, w.length < 3 && i < words.length - 1);
      result = result === null ? s : new Set([...result].filter((d) => s.has(d)));
      if (result.size === 0) break;
    }
    const ids = [...result].sort((a, b) => a - b);
    const inTitle = (d) => words.every((w) => ix.docs[d][1].toLowerCase().includes(w));
    return ids.filter(inTitle).concat(ids.filter((d) => !inTitle(d)));
  }

  function render(q) {
    const t0 = performance.now();
    const ids = search(q);
    out.replaceChildren();
    if (ids === null) { status.textContent = ''; return; }
    for (const d of ids.slice(0, MAX)) {
      const [id, title, url, date, sev, st, summary] = ix.docs[d];
      const li = document.createElement('li');
      li.className = 'card';
      const meta = document.createElement('div');
      meta.className = 'card-meta';
      meta.textContent = [date, sev, st].filter(Boolean).join(' · ');
      const h = document.createElement('h3');
      const a = document.createElement('a');
      a.href = root + url;
      a.textContent = title;
      const small = document.createElement('span');
      small.className = 'id';
      small.textContent = ' ' + id;
      h.append(a, small);
      const p = document.createElement('p');
      p.className = 'summary';
      p.textContent = summary;
      li.append(meta, h, p);
      out.append(li);
    }
    const ms = performance.now() - t0;
    status.textContent = `${ids.length} incident${ids.length === 1 ? '' : 's'}` +
      (ids.length > MAX ? `, first ${MAX} shown` : '') + ` (${ms.toFixed(0)} ms)`;
    status.dataset.ms = ms.toFixed(2);
  }

  form.addEventListener('submit', (e) => { e.preventDefault(); render(input.value); sync(); });
  input.addEventListener('input', () => { render(input.value); sync(); });
  function sync() {
    const q = input.value.trim();
    history.replaceState(null, '', q ? '?q=' + encodeURIComponent(q) : location.pathname);
  }
  const q = new URLSearchParams(location.search).get('q');
  if (q) { input.value = q; render(q); }
})();
