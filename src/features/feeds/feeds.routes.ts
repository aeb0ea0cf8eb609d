import { Router } from 'express';
import { z } from 'zod';
import { answerIfFresh } from '../../http/cache';
import { isoDay } from '../../lib/dates';
import { ValidationError } from '../../lib/errors';
import { responseEntry } from '../responses/responses.presenters';
import type { FeedsService, SitemapPage } from './feeds.service';
import { xmlEscape } from './xml';

const sitemapQuery = z.object({
  part: z
    .string()
    .regex(/^[1-9]\d{0,3}$/)
    .transform(Number)
    .optional(),
});

export function feedsRoutes(deps: { feeds: FeedsService; baseUrl: string; newsroomName: string }): Router {
  const router = Router();
  const base = deps.baseUrl;

  /** Atom: every published status change, newest first, in the page language. */
  router.get('/feed.xml', async (req, res) => {
    if (answerIfFresh(req, res, await deps.feeds.freshness())) return;
    const [entries, reports, responses] = await Promise.all([
      deps.feeds.feedEntries(),
      deps.feeds.feedReports(),
      deps.feeds.feedResponses(),
    ]);
    const t = req.t;
    const self = req.lang === 'id' ? `${base}/feed.xml` : `${base}/feed.xml?lang=${req.lang}`;
    const latest = [
      entries[0]?.approved_at,
      reports[0]?.published_at,
      ...responses.map((r) => r.updated_at),
    ].filter((d): d is Date => !!d);
    const updated = new Date(Math.max(0, ...latest.map((d) => d.getTime())));
    const lines = [
      '<?xml version="1.0" encoding="utf-8"?>',
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${req.lang}">`,
      `<id>${xmlEscape(self)}</id>`,
      `<title>${xmlEscape(`${t('site.name')}: ${t('feed.title')}`)}</title>`,
      `<subtitle>${xmlEscape(t('feed.subtitle'))}</subtitle>`,
      `<link rel="self" type="application/atom+xml" href="${xmlEscape(self)}"/>`,
      `<link rel="alternate" type="text/html" href="${xmlEscape(`${base}/`)}"/>`,
      `<updated>${updated.toISOString()}</updated>`,
      `<author><name>${xmlEscape(deps.newsroomName)}</name><uri>${xmlEscape(`${base}/`)}</uri></author>`,
    ];
    for (const entry of entries) {
      const url = `${base}/claims/${entry.claim_slug}`;
      const from = t(`status.${entry.from_status}`);
      const to = t(`status.${entry.to_status}`);
      lines.push(
        '<entry>',
        `<id>${xmlEscape(`${url}#status-update-${entry.id}`)}</id>`,
        `<title>${xmlEscape(`${to}: ${entry.claim_title}`)}</title>`,
        `<link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
        `<published>${entry.approved_at.toISOString()}</published>`,
        `<updated>${entry.approved_at.toISOString()}</updated>`,
        `<category term="${xmlEscape(entry.to_status)}" label="${xmlEscape(to)}"/>`,
        `<summary type="text">${xmlEscape(
          `${entry.candidate_name} (${entry.election_name}). ${t('timeline.change', { from, to })}. ${entry.note}`,
        )}</summary>`,
        '</entry>',
      );
    }
    // Milestone reports: each once, when it was published (a correction shows on its page).
    for (const report of reports) {
      const url = `${base}/candidates/${report.candidate_slug}/reports/${report.slug}`;
      lines.push(
        '<entry>',
        `<id>${xmlEscape(url)}</id>`,
        `<title>${xmlEscape(`${t('feed.report')}: ${report.title}`)}</title>`,
        `<link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
        `<published>${report.published_at.toISOString()}</published>`,
        `<updated>${report.published_at.toISOString()}</updated>`,
        `<category term="report" label="${xmlEscape(t(`milestone.${report.milestone}`))}"/>`,
        `<summary type="text">${xmlEscape(
          t('feed.report_summary', {
            candidate: report.candidate_name,
            date: isoDay(new Date(`${report.as_of}T00:00:00Z`)),
          }),
        )}</summary>`,
        '</entry>',
      );
    }
    lines.push(...responses.flatMap((response) => responseEntry(response, base, t)));
    lines.push('</feed>');
    res.type('application/atom+xml; charset=utf-8').send(lines.join('\n'));
  });

  router.get('/sitemap.xml', async (req, res) => {
    const query = sitemapQuery.safeParse({
      part: typeof req.query.part === 'string' ? req.query.part : undefined,
    });
    if (!query.success || Array.isArray(req.query.part)) throw new ValidationError({ part: 'invalid' });
    if (answerIfFresh(req, res, await deps.feeds.freshness())) return;
    const sitemap = await deps.feeds.sitemap(query.data.part);
    res.type('application/xml; charset=utf-8').send(sitemapXml(sitemap, base));
  });

  router.get('/robots.txt', (req, res) => {
    if (answerIfFresh(req, res, { lastModified: null, version: base })) return;
    res
      .type('text/plain; charset=utf-8')
      .send(
        [
          'User-agent: *',
          'Allow: /',
          'Disallow: /newsroom',
          'Disallow: /login',
          'Disallow: /logout',
          '',
          `Sitemap: ${base}/sitemap.xml`,
          '',
        ].join('\n'),
      );
  });

  return router;
}

export function sitemapXml(sitemap: SitemapPage, base: string): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>'];
  if (sitemap.kind === 'index') {
    lines.push('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
    for (let part = 1; part <= sitemap.parts; part += 1) {
      lines.push(`<sitemap><loc>${xmlEscape(`${base}/sitemap.xml?part=${part}`)}</loc></sitemap>`);
    }
    lines.push('</sitemapindex>');
    return lines.join('\n');
  }
  const url = (path: string, lastmod?: Date) =>
    `<url><loc>${xmlEscape(`${base}${path}`)}</loc>${lastmod ? `<lastmod>${isoDay(lastmod)}</lastmod>` : ''}</url>`;
  lines.push('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">');
  if (sitemap.withPages) {
    lines.push(url('/'), url('/claims'), url('/about'));
    for (const election of sitemap.elections)
      lines.push(url(`/elections/${election.slug}`, election.updated_at));
    for (const candidate of sitemap.candidates) lines.push(url(`/candidates/${candidate.slug}`));
    for (const event of sitemap.events) lines.push(url(`/events/${event.slug}`, event.updated_at));
    for (const election of sitemap.elections) lines.push(url(`/elections/${election.slug}/compare`));
    for (const agency of sitemap.term.agencies)
      lines.push(url(`/elections/${agency.election_slug}/agencies/${agency.slug}`, agency.updated_at));
    for (const report of sitemap.term.reports)
      lines.push(url(`/candidates/${report.candidate_slug}/reports/${report.slug}`, report.published_at));
  }
  for (const claim of sitemap.claims) lines.push(url(`/claims/${claim.slug}`, claim.updated_at));
  lines.push('</urlset>');
  return lines.join('\n');
}
