// A live event's page, kept current: claims published or re-rated while the reader reads arrive over the
// page's stream (Server-Sent Events) and take their place in the order said, announced politely, without
// moving what the reader is reading. The page is complete without this script.
(() => {
  const list = document.getElementById('event-claims');
  if (!list?.dataset.stream || typeof EventSource === 'undefined') return;
  const announcer = document.getElementById('event-announcer');
  const empty = document.getElementById('event-claims-empty');
  const updated = document.querySelector('#event-updated time');
  const messages = list.dataset;

  const say = (template, claim) => {
    if (!announcer) return;
    const text = template.replace('{title}', claim.title || '').replace('{status}', claim.status_label || '');
    // A new text node each time, so that screen readers announce a repeat too.
    announcer.textContent = '';
    announcer.append(document.createTextNode(text));
  };

  /** The first item the reader can see, and where it is: kept in place across a change. */
  const anchor = () => {
    for (const item of list.children) {
      const box = item.getBoundingClientRect();
      if (box.bottom > 0) return { item, top: box.top };
    }
    return undefined;
  };
  const keepingPlace = (change) => {
    const before = anchor();
    change();
    if (!before?.item.isConnected) return;
    const moved = before.item.getBoundingClientRect().top - before.top;
    if (moved !== 0) window.scrollBy(0, moved);
  };

  const badge = (claim) => {
    const span = document.createElement('span');
    span.className = `status status-${claim.status}`;
    const kind = document.createElement('span');
    kind.className = 'status-kind';
    kind.textContent = `${messages[`msgKind${claim.kind === 'promise' ? 'Promise' : 'Statement'}`]}:`;
    span.append(kind, ` ${claim.status_label}`);
    return span;
  };

  const item = (claim) => {
    const li = document.createElement('li');
    li.className = 'claim-card event-claim';
    li.id = `claim-${claim.slug}`;
    li.dataset.moment = claim.moment || '';
    if (claim.moment) {
      const moment = document.createElement('span');
      moment.className = 'event-moment';
      const time = document.createElement('time');
      time.textContent = claim.moment;
      moment.append(time);
      li.append(moment, ' ');
    }
    const title = document.createElement('a');
    title.className = 'claim-title';
    title.href = `/claims/${encodeURIComponent(claim.slug)}`;
    title.textContent = claim.title;
    const meta = document.createElement('p');
    meta.className = 'claim-meta';
    meta.textContent = claim.running_mate ? `${claim.candidate} – ${claim.running_mate}` : claim.candidate;
    li.append(badge(claim), ' ', title, meta);
    return li;
  };

  /** Where a claim said at `moment` goes: before the first item said later (no moment: at the end). */
  const placeFor = (moment) => {
    if (!moment) return null;
    for (const other of list.children) {
      const at = other.dataset.moment;
      if (!at || at > moment) return other;
    }
    return null;
  };

  const touched = () => {
    if (!updated) return;
    const now = new Date();
    updated.dateTime = now.toISOString();
    updated.textContent = now.toLocaleString(document.documentElement.lang || undefined);
  };

  const source = new EventSource(list.dataset.stream);
  source.addEventListener('claim', (message) => {
    const claim = JSON.parse(message.data);
    const existing = document.getElementById(`claim-${claim.slug}`);
    keepingPlace(() => {
      if (existing) {
        existing.replaceWith(item(claim));
      } else {
        list.insertBefore(item(claim), placeFor(claim.moment));
      }
      if (empty) empty.hidden = true;
    });
    touched();
    say(existing ? messages.msgChanged : messages.msgNew, claim);
  });
  source.addEventListener('removed', (message) => {
    const claim = JSON.parse(message.data);
    const existing = document.getElementById(`claim-${claim.slug}`);
    if (!existing) return;
    const title = existing.querySelector('.claim-title');
    keepingPlace(() => existing.remove());
    touched();
    say(messages.msgRemoved, { title: title ? title.textContent : '' });
  });
  source.addEventListener('ended', () => {
    source.close();
    const tag = document.getElementById('event-live-tag');
    if (tag) tag.remove();
    say(messages.msgEnded, {});
  });
})();
