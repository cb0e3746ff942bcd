// debrief list filters: the links above a list lead to one page per value
// and work without JavaScript; this script adds selects that filter the list
// in place, with the state in the URL fragment (#severity=sev2&year=2024).
(function () {
  'use strict';
  const form = document.querySelector('[data-filters]');
  const list = document.querySelector('[data-filterable]');
  if (!form || !list) return;
  const cards = Array.from(list.children).filter((li) => li.dataset);
  const selects = Array.from(form.querySelectorAll('select'));
  const count = form.querySelector('[data-filter-count]');
  form.hidden = false;
  form.addEventListener('submit', (e) => e.preventDefault());

  function apply() {
    let shown = 0;
    for (const li of cards) {
      const ok = selects.every((s) => {
        if (!s.value) return true;
        const v = li.dataset[s.name] || '';
        return s.name === 'service' ? v.includes('|' + s.value + '|') : v === s.value;
      });
      li.hidden = !ok;
      if (ok) shown++;
    }
    const active = selects.filter((s) => s.value);
    count.textContent = active.length ? `${shown} of ${cards.length}` : '';
    const p = new URLSearchParams();
    active.forEach((s) => p.set(s.name, s.value));
    const h = p.toString();
    history.replaceState(null, '', h ? '#' + h : location.pathname + location.search);
  }

  function read() {
    const p = new URLSearchParams(location.hash.slice(1));
    selects.forEach((s) => {
      const v = p.get(s.name);
      if (v !== null && Array.from(s.options).some((o) => o.value === v)) s.value = v;
    });
  }

  form.addEventListener('change', apply);
  window.addEventListener('hashchange', () => { read(); apply(); });
  read();
  apply();
})();
