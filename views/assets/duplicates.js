// The claim form, progressive enhancement only (the form works without it, and the server then asks
// before saving a close match): as the reporter types the quote or the title, the claims already logged
// that it may duplicate are listed under the quote. The ids shown go back with the form, so the server
// does not ask again about what the reporter has already seen.
(() => {
  const box = document.getElementById('nr-duplicates');
  if (!box || !window.fetch || !window.URLSearchParams) return;
  const form = box.closest('form');
  if (!form) return;
  const field = (name) => form.querySelector(`[name="${name}"]`);
  const quote = field('quote');
  const title = field('title');
  const election = field('election_id');
  const candidate = field('candidate_id');
  const seen = field('duplicates_seen');
  if (!quote) return;
  const asking = box.querySelector('button[name="confirm_duplicates"]') !== null;

  let timer;
  let lastQuery = '';
  let controller;

  function render(list) {
    if (asking) return; // the server's question stays as it was asked
    box.replaceChildren();
    if (seen) seen.value = list.map((d) => d.id).join(',');
    if (list.length === 0) {
      box.hidden = true;
      return;
    }
    const heading = document.createElement('p');
    const strong = document.createElement('strong');
    strong.textContent = box.dataset.heading || '';
    heading.append(strong);
    const items = document.createElement('ul');
    for (const d of list) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = d.url;
      link.textContent = d.title || d.slug;
      const percent = String(Math.round(d.similarity * 100));
      const similarity = (box.dataset.similarity || '{percent}%').replace('{percent}', percent);
      item.append(link, ` · ${d.candidate_name} · ${d.status_label} · ${d.workflow_label} · ${similarity}`);
      items.append(item);
    }
    box.append(heading, items);
    box.hidden = false;
  }

  async function lookup() {
    const params = new URLSearchParams({
      quote: quote.value,
      title: title ? title.value : '',
      election_id: election ? election.value : '',
      candidate_id: candidate ? candidate.value : '',
      exclude: box.dataset.exclude || '',
    });
    const query = params.toString();
    if (query === lastQuery) return;
    lastQuery = query;
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const res = await fetch(`${box.dataset.endpoint}?${query}`, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        signal: controller.signal,
      });
      if (!res.ok) return;
      const body = await res.json();
      render(Array.isArray(body.duplicates) ? body.duplicates : []);
    } catch {
      // Aborted by a newer lookup, or offline: the server still asks before saving a close match.
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lookup, 300);
  }

  for (const input of [quote, title]) if (input) input.addEventListener('input', schedule);
  for (const select of [election, candidate]) if (select) select.addEventListener('change', schedule);
  if (quote.value.trim()) schedule();
})();
