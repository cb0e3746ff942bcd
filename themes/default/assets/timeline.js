// debrief interactive timeline: filters by kind, actor and text, keyboard
// navigation, axis marks that jump to entries, and the CAN report as of the
// chosen entry. The page works without this script; it only adds to it.
// The state lives in the URL fragment so a view can be shared:
//   #t-042143                         an entry
//   #at=t-042143&kinds=need&actor=Paul&q=script
(function () {
  'use strict';
  const tl = document.querySelector('[data-timeline]');
  if (!tl) return;
  const form = tl.querySelector('[data-controls]');
  const list = tl.querySelector('ol.entries');
  if (!form || !list) return;

  const KINDS = ['condition', 'action', 'need', 'other'];
  const items = Array.from(list.querySelectorAll('li.entry')).map((li) => {
    const body = li.querySelector('.entry-body');
    return {
      li, body, id: li.id,
      kinds: (li.dataset.kinds || 'other').split(' '),
      actor: li.dataset.actor || '',
      text: body.textContent.toLowerCase(),
      html: body.innerHTML,
      marked: false,
    };
  });
  const byId = new Map(items.map((it) => [it.id, it]));
  const marks = new Map();
  // A mark links to its entry: its href is '#' and the entry's id.
  tl.querySelectorAll('svg .mark').forEach((m) => marks.set(decodeURIComponent((m.getAttribute('href') || '').slice(1)), m));
  const count = form.querySelector('[data-count]');
  const asofBox = tl.querySelector('[data-asof]');
  const dataEl = document.getElementById('debrief-asof');
  const asof = dataEl ? JSON.parse(dataEl.textContent) : null;
  const kindBoxes = Array.from(form.querySelectorAll('input[name=kind]'));
  const actorSel = form.elements.namedItem('actor');
  const query = form.elements.namedItem('q');
  let current = null;

  form.hidden = false;
  form.addEventListener('submit', (e) => e.preventDefault());

  function state() {
    return {
      kinds: kindBoxes.filter((b) => b.checked).map((b) => b.value),
      actor: actorSel.value,
      q: query.value.trim().toLowerCase(),
    };
  }

  function filtered(s) {
    return s.kinds.length !== KINDS.length || s.actor !== '' || s.q !== '';
  }

  // apply shows the entries that pass the filters and highlights the text.
  let pass = 0; // the current apply(); stale highlight chunks stop
  function apply() {
    const s = state();
    const run = ++pass;
    let shown = 0;
    const toMark = [];
    for (const it of items) {
      const ok = it.kinds.some((k) => s.kinds.includes(k)) &&
        (s.actor === '' || it.actor === s.actor) &&
        (s.q === '' || it.text.includes(s.q));
      if (it.li.hidden === ok) it.li.hidden = !ok;
      if (it.marked) { it.body.innerHTML = it.html; it.marked = false; }
      if (ok) {
        shown++;
        if (s.q !== '') toMark.push(it);
      }
    }
    // The list is filtered now. Highlights beyond the first screenful and
    // the axis follow in chunks, so a filter over a long log never blocks
    // typing.
    const chunk = (from, size) => {
      if (run !== pass) return;
      const to = Math.min(toMark.length, from + size);
      for (let i = from; i < to; i++) highlight(toMark[i], s.q);
      if (to < toMark.length) setTimeout(() => chunk(to, 200), 0);
    };
    chunk(0, 30);
    setTimeout(() => {
      if (run !== pass) return;
      for (const it of items) {
        const m = marks.get(it.id);
        if (m && m.classList.contains('dim') !== it.li.hidden) m.classList.toggle('dim', it.li.hidden);
      }
    }, 0);
    // A day heading shows only when an entry of its day does.
    list.querySelectorAll('li.daybreak').forEach((d) => {
      let n = d.nextElementSibling, any = false;
      while (n && !n.classList.contains('daybreak')) { if (!n.hidden) { any = true; break; } n = n.nextElementSibling; }
      d.hidden = !any;
    });
    count.textContent = filtered(s) ? `${shown} of ${items.length} entries` : `${items.length} entries`;
  }

  function highlight(it, q) {
    const walker = document.createTreeWalker(it.body, NodeFilter.SHOW_TEXT);
    const hits = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeValue.toLowerCase().includes(q)) hits.push(n);
    }
    for (const n of hits) {
      const text = n.nodeValue, lower = text.toLowerCase();
      const frag = document.createDocumentFragment();
      let i = 0, j;
      while ((j = lower.indexOf(q, i)) >= 0) {
        frag.append(text.slice(i, j));
        const mark = document.createElement('mark');
        mark.textContent = text.slice(j, j + q.length);
        frag.append(mark);
        i = j + q.length;
      }
      frag.append(text.slice(i));
      n.replaceWith(frag);
    }
    it.marked = hits.length > 0;
  }

  // The CAN report as of an entry, from the data the build embedded.
  function showAsOf(it) {
    if (!asof || !asofBox) return;
    // A very long log has reports at spaced entries: take the nearest
    // earlier one.
    let at = it;
    for (let i = items.indexOf(it); i >= 0 && !asof.at[items[i].id]; i--) at = items[i - 1] || it;
    const sets = asof.at[at.id];
    if (!sets) return;
    asofBox.querySelector('[data-asof-time]').textContent = at.li.querySelector('time').textContent;
    const grid = asofBox.querySelector('[data-asof-grid]');
    grid.replaceChildren();
    ['Conditions', 'Actions', 'Needs'].forEach((name, i) => {
      const sec = document.createElement('section');
      sec.className = 'can-section can-' + ['condition', 'action', 'need'][i];
      const h = document.createElement('h4');
      h.textContent = name;
      const ul = document.createElement('ul');
      for (const n of sets[i]) {
        const [text, , anchor, clock] = asof.lines[n];
        const li = document.createElement('li');
        li.append(text + ' ');
        const a = document.createElement('a');
        a.className = 'at';
        a.href = '#' + anchor;
        a.textContent = clock;
        li.append(a);
        ul.append(li);
      }
      if (sets[i].length === 0) {
        const li = document.createElement('li');
        li.className = 'muted';
        li.textContent = 'No additional ' + name.toLowerCase();
        ul.append(li);
      }
      sec.append(h, ul);
      grid.append(sec);
    });
    asofBox.hidden = false;
  }

  function select(it, focus) {
    if (current) { current.li.classList.remove('selected'); current.li.removeAttribute('aria-current'); }
    const m = current && marks.get(current.id);
    if (m) m.classList.remove('selected');
    current = it;
    if (!it) { if (asofBox) asofBox.hidden = true; return; }
    it.li.classList.add('selected');
    it.li.setAttribute('aria-current', 'true');
    const mk = marks.get(it.id);
    if (mk) mk.classList.add('selected');
    showAsOf(it);
    if (focus) {
      it.li.focus({ preventScroll: true });
      it.li.scrollIntoView({ block: 'nearest' });
    }
  }

  // The fragment: a bare entry id when no filter is set, so plain
  // permalinks and :target keep working.
  function writeHash() {
    const s = state();
    let h = '';
    if (filtered(s)) {
      const p = new URLSearchParams();
      if (current) p.set('at', current.id);
      if (s.kinds.length !== KINDS.length) p.set('kinds', s.kinds.join(','));
      if (s.actor) p.set('actor', s.actor);
      if (s.q) p.set('q', query.value.trim());
      h = '#' + p.toString();
    } else if (current) {
      h = '#' + current.id;
    }
    if (h !== location.hash) history.replaceState(null, '', h || location.pathname + location.search);
  }

  function readHash() {
    const h = decodeURIComponent(location.hash.slice(1));
    if (!h) return;
    if (!h.includes('=')) {
      const it = byId.get(h);
      if (it) { reveal(it); select(it, true); }
      return;
    }
    const p = new URLSearchParams(location.hash.slice(1));
    if (p.has('kinds')) {
      const ks = p.get('kinds').split(',');
      kindBoxes.forEach((b) => { b.checked = ks.includes(b.value); });
    }
    if (p.has('actor')) actorSel.value = p.get('actor');
    if (p.has('q')) query.value = p.get('q');
    apply();
    const it = byId.get(p.get('at') || '');
    if (it) select(it, true);
  }

  // An entry reached by a link is shown even when a filter hid it.
  function reveal(it) {
    if (!it.li.hidden) return;
    kindBoxes.forEach((b) => { b.checked = true; });
    actorSel.value = '';
    query.value = '';
    apply();
  }

  function visible() { return items.filter((it) => !it.li.hidden); }

  function move(step) {
    const vis = visible();
    if (vis.length === 0) return;
    let i = current ? vis.indexOf(current) : -1;
    i = i < 0 ? (step > 0 ? 0 : vis.length - 1) : Math.min(vis.length - 1, Math.max(0, i + step));
    select(vis[i], true);
    writeHash();
  }

  form.addEventListener('input', () => { apply(); writeHash(); });
  form.addEventListener('change', () => { apply(); writeHash(); });

  list.addEventListener('click', (e) => {
    const li = e.target.closest('li.entry');
    if (!li) return;
    const a = e.target.closest('a');
    if (a && !a.classList.contains('permalink')) return; // a link inside the text
    e.preventDefault();
    select(byId.get(li.id), true);
    writeHash();
  });

  tl.querySelectorAll('svg a.mark, svg a.milestone').forEach((a) => {
    a.addEventListener('click', (e) => {
      const id = (a.getAttribute('href') || '').slice(1);
      const it = byId.get(id);
      if (!it) return;
      e.preventDefault();
      reveal(it);
      select(it, true);
      writeHash();
    });
  });

  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName))) return;
    const onEntry = t && t.closest && t.closest('li.entry');
    if (e.key === 'j' || (onEntry && e.key === 'ArrowDown')) { e.preventDefault(); move(1); }
    else if (e.key === 'k' || (onEntry && e.key === 'ArrowUp')) { e.preventDefault(); move(-1); }
  });

  window.addEventListener('hashchange', readHash);
  apply();
  readHash();
})();
