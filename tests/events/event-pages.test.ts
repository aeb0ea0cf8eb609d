import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { videoAt } from '../../src/features/events/event-pages.service';
import { useTestApp } from '../helpers/app';
import { createCandidate, createClaim, createElection } from '../helpers/factories';
import { html, xml } from '../public/html';
import { warmUp } from '../public/warm-up';
import { createEvent } from './helpers';

/** An element's text with its white space collapsed. */
function text(element: { textContent: string | null } | null | undefined): string {
  return (element?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('event pages', () => {
  const ctx = useTestApp();
  warmUp(ctx);

  async function debate() {
    const election = await createElection(ctx.db, { name: 'Pilkada Kota Acara 2024' });
    const a = await createCandidate(ctx.db, {
      election_id: election.id,
      name: 'Calon Satu',
      ballot_number: 1,
    });
    const b = await createCandidate(ctx.db, {
      election_id: election.id,
      name: 'Calon Dua',
      ballot_number: 2,
    });
    const event = await createEvent(ctx.db, {
      election_id: election.id,
      name: 'Debat Publik Pertama',
      held_on: '2024-11-04',
      starts_at: '19:30:00',
      place: 'Gedung Serbaguna',
      organiser: 'KPU Kota',
      video_url: 'https://www.youtube.com/watch?v=abcdefghijk',
    });
    const at = (moment: string | null, candidate: { id: number }, fields = {}) =>
      createClaim(ctx.db, {
        candidate_id: candidate.id,
        event_id: event.id,
        moment,
        ...fields,
      });
    const late = await at('01:10:00', a, { title: 'Klaim menit tujuh puluh', status: 'false' });
    const early = await at('00:05:30', b, {
      title: 'Klaim menit lima',
      kind: 'promise',
      status: 'not_rated',
    });
    const unmarked = await at(null, a, { title: 'Klaim tanpa menit' });
    const draft = await at('00:01:00', a, { title: 'Klaim draf acara', workflow_state: 'draft' });
    return { election, a, b, event, late, early, unmarked, draft };
  }

  it('shows the facts, the video, the claims in the order said with their status, and scoreboards', async () => {
    const { event, election } = await debate();
    const res = await request(ctx.app).get(`/events/${event.slug}`).expect(200);
    const doc = html(res.text);
    expect(text(doc.querySelector('h1'))).toBe('Debat Publik Pertama');
    const facts = text(doc.querySelector('.facts'));
    for (const fact of ['Debat', 'Gedung Serbaguna', 'KPU Kota', '19:30', 'Pilkada Kota Acara 2024']) {
      expect(facts).toContain(fact);
    }
    expect(doc.querySelector(`.facts a[href="${event.video_url}"]`)).toBeTruthy();
    expect(doc.querySelector(`.facts a[href="/elections/${election.slug}"]`)).toBeTruthy();
    const titles = [...doc.querySelectorAll('#event-claims .claim-title')].map((a) => text(a));
    expect(titles).toEqual(['Klaim menit lima', 'Klaim menit tujuh puluh', 'Klaim tanpa menit']);
    expect(res.text).not.toContain('Klaim draf acara');
    expect(text(doc.querySelector('#event-claims'))).toContain('Keliru');
    expect(text(doc.querySelector('#event-claims'))).toContain('00:05:30');
    // One scoreboard for the event (both kinds), one per ticket that spoke.
    expect(doc.querySelectorAll('.ticket')).toHaveLength(2);
    expect(text(doc.querySelector('#event-updated'))).toMatch(/Terakhir diperbarui .*2\d{3}/);
    // Not live: no script, no stream.
    expect(doc.querySelector('script[src="/assets/event-live.js"]')).toBeNull();
    const en = await request(ctx.app).get(`/events/${event.slug}?lang=en`).expect(200);
    expect(en.text).toContain('Claims, in the order said');
    expect(en.text).toContain('Last updated');
  });

  it('a live event page carries its stream, and is complete without it', async () => {
    const { event } = await debate();
    await ctx.db('events').where({ id: event.id }).update({ live_state: 'live' });
    const res = await request(ctx.app).get(`/events/${event.slug}`).expect(200);
    const doc = html(res.text);
    expect(doc.querySelector('script[src="/assets/event-live.js"]')).toBeTruthy();
    const list = doc.querySelector('#event-claims');
    expect(list?.getAttribute('data-stream')).toMatch(
      new RegExp(`^/events/${event.slug}/stream\\?lang=id&last_id=\\d+$`),
    );
    expect(doc.querySelector('[aria-live="polite"]')).toBeTruthy();
    expect(doc.querySelectorAll('#event-claims .claim-title')).toHaveLength(3);
    expect(res.text).toContain('muat ulang halaman');
  });

  it('answers 404 for an unknown or malformed slug', async () => {
    await request(ctx.app).get('/events/tidak-ada').expect(404);
    await request(ctx.app)
      .get('/events/%E0%A4%A')
      .expect((r) => expect(r.status).toBeLessThan(500));
    await request(ctx.app).get('/api/v1/events/tidak-ada').expect(404);
  });

  it('the verdict page links to its event and to the video at the moment', async () => {
    const { event, late, unmarked } = await debate();
    const page = await request(ctx.app).get(`/claims/${late.slug}`).expect(200);
    const doc = html(page.text);
    expect(doc.querySelector(`.claim-event a[href="/events/${event.slug}"]`)).toBeTruthy();
    expect(
      doc.querySelector('.claim-event a[href="https://www.youtube.com/watch?v=abcdefghijk&t=4200s"]'),
    ).toBeTruthy();
    const plain = await request(ctx.app).get(`/claims/${unmarked.slug}`).expect(200);
    expect(html(plain.text).querySelector(`.claim-event a[href="${event.video_url}"]`)).toBeTruthy();
  });

  it('opens YouTube at the second and writes the time out for other hosts', () => {
    expect(videoAt('https://youtu.be/abc', '00:01:05')).toEqual({
      href: 'https://youtu.be/abc?t=65s',
      timed: true,
    });
    expect(videoAt('https://www.youtube.com/watch?v=x&t=3s', '01:00:00').href).toBe(
      'https://www.youtube.com/watch?v=x&t=3600s',
    );
    expect(videoAt('https://vimeo.com/123', '00:01:05')).toEqual({
      href: 'https://vimeo.com/123',
      timed: false,
    });
    expect(videoAt('https://vimeo.com/123', null).timed).toBe(false);
  });

  it('election and candidate pages list their events', async () => {
    const { election, event, a } = await debate();
    const other = await createEvent(ctx.db, {
      election_id: election.id,
      name: 'Wawancara Radio',
      kind: 'interview',
    });
    const page = html((await request(ctx.app).get(`/elections/${election.slug}`).expect(200)).text);
    const links = [...page.querySelectorAll('.event-list a')].map((l) => l.getAttribute('href'));
    expect(links).toEqual(expect.arrayContaining([`/events/${event.slug}`, `/events/${other.slug}`]));
    const candidate = html((await request(ctx.app).get(`/candidates/${a.slug}`).expect(200)).text);
    const spoke = [...candidate.querySelectorAll('.event-list a')].map((l) => l.getAttribute('href'));
    expect(spoke).toEqual([`/events/${event.slug}`]);
  });

  it('the API lists events and gives one with its claims; claims carry event and moment', async () => {
    const { event, early, draft } = await debate();
    const list = await request(ctx.app).get('/api/v1/events').expect(200);
    expect(list.body.data.find((e: { slug: string }) => e.slug === event.slug)).toMatchObject({
      name: 'Debat Publik Pertama',
      kind: 'debate',
      date: '2024-11-04',
      url: `https://kawal.test/events/${event.slug}`,
    });
    const one = await request(ctx.app).get(`/api/v1/events/${event.slug}`).expect(200);
    expect(one.body.data.claims.map((c: { slug: string }) => c.slug)[0]).toBe(early.slug);
    expect(one.body.data.claims.map((c: { slug: string }) => c.slug)).not.toContain(draft.slug);
    expect(one.body.data.claims[0]).toMatchObject({ moment: '00:05:30', status: 'not_rated' });
    const claim = await request(ctx.app).get(`/api/v1/claims/${early.slug}`).expect(200);
    expect(claim.body.data).toMatchObject({
      event: { slug: event.slug, name: 'Debat Publik Pertama', kind: 'debate', date: '2024-11-04' },
      moment: '00:05:30',
    });
    const listed = await request(ctx.app)
      .get(
        `/api/v1/claims?election=${(await ctx.db('elections').where({ id: event.election_id }).first()).slug}`,
      )
      .expect(200);
    expect(listed.body.data[0].event.slug).toBe(event.slug);
  });

  it('the CSV carries the event and the moment; the sitemap lists event pages', async () => {
    const { event, early, election } = await debate();
    const csv = await request(ctx.app).get(`/claims.csv?election=${election.slug}`).expect(200);
    const [header, ...rows] = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r\n/);
    const columns = header!.split(',');
    for (const column of ['event', 'event_slug', 'event_kind', 'event_date', 'moment'])
      expect(columns).toContain(column);
    const row = rows.find((r) => r.startsWith(`${early.slug},`))!.split(',');
    expect(row[columns.indexOf('event_slug')]).toBe(event.slug);
    expect(row[columns.indexOf('event_date')]).toBe('2024-11-04');
    expect(row[columns.indexOf('moment')]).toBe('00:05:30');
    const sitemap = xml((await request(ctx.app).get('/sitemap.xml').expect(200)).text);
    const locs = [...sitemap.querySelectorAll('loc')].map((l) => text(l));
    expect(locs).toContain(`https://kawal.test/events/${event.slug}`);
  });

  it('a renamed event or a newly published claim changes the page’s version', async () => {
    const { event, draft } = await debate();
    const first = await request(ctx.app).get(`/events/${event.slug}`).expect(200);
    const etag = first.headers.etag as string;
    await request(ctx.app).get(`/events/${event.slug}`).set('If-None-Match', etag).expect(304);
    await ctx
      .db('claims')
      .where({ id: draft.id })
      .update({ workflow_state: 'published', published_at: new Date(), updated_at: new Date() });
    const after = await request(ctx.app).get(`/events/${event.slug}`).set('If-None-Match', etag).expect(200);
    expect(after.text).toContain('Klaim draf acara');
    await ctx
      .db('events')
      .where({ id: event.id })
      .update({ name: 'Debat Publik Pertama (ralat)', updated_at: new Date() });
    const renamed = await request(ctx.app)
      .get(`/events/${event.slug}`)
      .set('If-None-Match', after.headers.etag as string)
      .expect(200);
    expect(renamed.text).toContain('Debat Publik Pertama (ralat)');
  });
});
