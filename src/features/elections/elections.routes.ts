import { Router } from 'express';
import type { PageCache } from '../../http/page-cache';
import { socialOf } from '../candidates/candidates.routes';
import type { ElectionTerm } from '../term/term.service';
import type { ElectionsService } from './elections.service';

export function electionsRoutes(deps: {
  elections: ElectionsService;
  baseUrl: string;
  pages: PageCache;
  /** The election's events, for their list on its page. */
  eventsOf?: (electionId: number) => Promise<unknown[]>;
  /** What the page shows of the term (src/features/term): the chart, the agencies. */
  term: (electionId: number) => Promise<ElectionTerm>;
}): Router {
  const router = Router();
  router.get('/elections/:slug', async (req, res) => {
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: () => deps.elections.freshness(),
      view: 'elections/show',
      locals: async () => {
        const page = await deps.elections.electionPage(req.params.slug);
        const canonical = `${deps.baseUrl}/elections/${page.election.slug}`;
        const { election } = page;
        const claims = req.t('share.claims_count', { count: page.scoreboard.total.toLocaleString(req.lang) });
        const description = `${election.office} · ${election.region}`;
        return {
          ...page,
          events: deps.eventsOf ? await deps.eventsOf(election.id) : [],
          term: await deps.term(election.id),
          canonical,
          social: socialOf(canonical, election.name, description, req.lang, `${election.name}: ${claims}`),
        };
      },
    });
  });
  return router;
}
