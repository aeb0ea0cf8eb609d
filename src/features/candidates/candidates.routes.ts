import { Router } from 'express';
import type { PageCache } from '../../http/page-cache';
import type { CandidatesService } from './candidates.service';

export function candidatesRoutes(deps: {
  candidates: CandidatesService;
  baseUrl: string;
  pages: PageCache;
  /** The events the candidate spoke at, for their list on the page. */
  eventsOf?: (candidateId: number) => Promise<unknown[]>;
}): Router {
  const router = Router();
  router.get('/candidates/:slug', async (req, res) => {
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: () => deps.candidates.freshness(),
      view: 'candidates/show',
      locals: async () => {
        const page = await deps.candidates.candidatePage(req.params.slug);
        const canonical = `${deps.baseUrl}/candidates/${page.candidate.slug}`;
        const { candidate } = page;
        const fullName = candidate.running_mate
          ? `${candidate.name} – ${candidate.running_mate}`
          : candidate.name;
        const claims = req.t('share.candidate_claims', {
          count: page.scoreboard.total.toLocaleString(req.lang),
        });
        return {
          ...page,
          events: deps.eventsOf ? await deps.eventsOf(candidate.id) : [],
          canonical,
          social: socialOf(canonical, fullName, candidate.election_name, req.lang, `${fullName}: ${claims}`),
        };
      },
    });
  });
  return router;
}

/** Open Graph and Twitter card tags of a page whose share image is at `${url}/share.png`. */
export function socialOf(url: string, title: string, description: string, lang: string, alt: string) {
  return {
    type: 'website',
    title,
    description,
    url,
    locale: lang === 'en' ? 'en_GB' : 'id_ID',
    image: { url: `${url}/share.png${lang === 'en' ? '?lang=en' : ''}`, alt },
  };
}
