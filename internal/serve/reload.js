// debrief serve: live reload and the build-error overlay. Injected into
// pages only by `debrief serve`, never into a built site.
(function () {
  'use strict';
  const here = (() => {
    let p = decodeURIComponent(location.pathname).replace(/^\//, '');
    if (p === '' || p.endsWith('/')) p += 'index.html';
    return p;
  })();
  let overlay = null;

  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }

  // The overlay is built with the DOM and styled through CSSOM, so it needs
  // no inline markup or style the page's Content-Security-Policy forbids.
  function show(err) {
    hide();
    overlay = document.createElement('div');
    overlay.id = 'debrief-error';
    overlay.setAttribute('role', 'alertdialog');
    overlay.setAttribute('aria-label', 'Build error');
    Object.assign(overlay.style, {
      position: 'fixed', inset: '0', zIndex: '2147483647', background: 'rgba(20,0,0,.92)', color: '#fff',
      font: '14px/1.5 ui-monospace, Menlo, Consolas, monospace', padding: '2rem', overflow: 'auto', whiteSpace: 'pre-wrap',
    });
    const h = document.createElement('h1');
    h.textContent = 'Build failed — the last good site is still being served';
    Object.assign(h.style, { font: 'bold 18px system-ui, sans-serif', margin: '0 0 1rem', color: '#ff9b9b' });
    overlay.append(h);
    for (const e of err.errors || []) {
      const msg = document.createElement('div');
      msg.className = 'debrief-error-message';
      msg.textContent = e.message;
      Object.assign(msg.style, { color: '#ffd7d7', fontWeight: 'bold', marginTop: '1rem' });
      overlay.append(msg);
      if (e.context && e.context.length) {
        const pre = document.createElement('pre');
        Object.assign(pre.style, { background: 'rgba(255,255,255,.08)', padding: '.5rem', margin: '.25rem 0 0' });
        for (const l of e.context) {
          const line = document.createElement('div');
          line.textContent = String(l.n).padStart(5) + (l.here ? ' > ' : '   ') + l.text;
          if (l.here) line.style.color = '#ff9b9b';
          pre.append(line);
        }
        overlay.append(pre);
      }
    }
    const foot = document.createElement('p');
    foot.textContent = 'Fix the file and save: this goes away by itself.';
    Object.assign(foot.style, { marginTop: '1.5rem', color: '#bbb' });
    overlay.append(foot);
    document.body.append(overlay);
  }

  const es = new EventSource('/__debrief/events');
  es.addEventListener('build-error', (e) => show(JSON.parse(e.data)));
  es.addEventListener('build-ok', () => hide());
  es.addEventListener('reload', (e) => {
    hide();
    const changed = JSON.parse(e.data);
    if (changed.includes(here) || changed.some((p) => p.startsWith('assets/'))) location.reload();
  });
})();
