// The live desk, kept current: when the desk's stream says something changed, its rows are fetched again
// and put in place (the reader's scroll position and the focused button are kept). Works without it.
(() => {
  const rows = document.getElementById('desk-rows');
  if (!rows?.dataset.stream || typeof EventSource === 'undefined') return;
  const announcer = document.getElementById('desk-announcer');
  let fetching = false;
  let again = false;
  const refresh = async () => {
    if (fetching) {
      again = true;
      return;
    }
    fetching = true;
    try {
      do {
        again = false;
        const res = await fetch(rows.dataset.rows, {
          credentials: 'same-origin',
          headers: { Accept: 'text/html' },
        });
        if (!res.ok) return;
        const html = await res.text();
        const focused = document.activeElement?.closest('tr')?.id;
        const y = window.scrollY;
        const template = document.createElement('template');
        template.innerHTML = html;
        rows.replaceChildren(template.content);
        window.scrollTo(0, y);
        if (focused) document.querySelector(`#${focused} button`)?.focus();
        if (announcer) announcer.textContent = rows.dataset.msgUpdated;
      } while (again);
    } finally {
      fetching = false;
    }
  };
  const source = new EventSource(rows.dataset.stream);
  source.addEventListener('changed', () => void refresh());
})();
