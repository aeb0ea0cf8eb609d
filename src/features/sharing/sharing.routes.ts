import { type Request, Router } from 'express';
import { formatDate } from '../../lib/dates';
import type { ClaimsService } from '../claims/claims.service';
import type { PageCache } from '../page-cache/page-cache';
import { meterView } from './meter';
import { type ClaimShare, claimShareSvg, renderPng } from './share-image';

const PNG = 'image/png';

/**
 * Share images: what a link preview (WhatsApp, Facebook, X) shows. Kept by the page cache under the
 * same version as the page they preview, so a change of status is a new image at once.
 */
export function sharingRoutes(deps: {
  claims: ClaimsService;
  baseUrl: string;
  newsroomName: string;
  pages: PageCache;
}): Router {
  const router = Router();
  const site = new URL(deps.baseUrl).host;

  router.get('/claims/:slug/share.png', async (req, res) => {
    const { slug } = req.params;
    // Previews are fetched by other sites' servers and may be shown inside their pages.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    await deps.pages.respond(req, res, {
      scope: `claim:${slug}`,
      freshness: () => deps.claims.verdictFreshness(slug),
      view: 'share.png',
      load: async () => {
        const { page, freshness } = await deps.claims.verdictPageAndFreshness(slug);
        return { freshness, locals: claimShare(req, page.claim, deps.newsroomName, site) };
      },
      draw: async (locals) => {
        const share = locals as ClaimShare;
        const description = req.t('share.image_alt', { status: share.status, title: share.title });
        return { body: await renderPng(claimShareSvg(share), description), contentType: PNG };
      },
    });
  });

  return router;
}

function claimShare(
  req: Request,
  claim: Awaited<ReturnType<ClaimsService['verdictPageAndFreshness']>>['page']['claim'],
  newsroom: string,
  site: string,
): ClaimShare {
  const retracted = claim.workflow_state === 'retracted';
  const meter = meterView({ kind: claim.kind, status: claim.status, retracted }, req.t);
  const who = claim.candidate_running_mate
    ? `${claim.candidate_name} – ${claim.candidate_running_mate}`
    : claim.candidate_name;
  return {
    meter: meter.meter,
    status: meter.status,
    kind: req.t(`kind.${claim.kind}`),
    title: claim.title ?? claim.quote,
    who: req.t('share.said_by', { who }),
    when: formatDate(claim.said_on, req.lang, 'weekday'),
    retracted: retracted ? req.t('verdict.retracted.title') : undefined,
    newsroom,
    site,
  };
}
