import { type Request, type Response, Router } from 'express';
import type { PageCache } from '../../http/page-cache';
import { formatDate } from '../../lib/dates';
import type { Translate } from '../../lib/i18n';
import type { CandidatesService } from '../candidates/candidates.service';
import type { ClaimsService } from '../claims/claims.service';
import { TONE_COLOURS } from '../claims/tones';
import type { ElectionsService } from '../elections/elections.service';
import type { Scoreboard } from '../elections/scoreboard';
import type { PhotosRepository } from '../photos/photos.repository';
import { meterView } from './meter';
import {
  type CandidateShare,
  type ClaimShare,
  candidateShareSvg,
  claimShareSvg,
  type ElectionShare,
  electionShareSvg,
  renderPng,
  type SharePhoto,
  type ShareScale,
} from './share-image';

const PNG = 'image/png';

/**
 * Share images: what a link preview (WhatsApp, Facebook, X) shows. Kept by the page cache under the
 * same version as the page they preview, so a change of status is a new image at once.
 */
export function sharingRoutes(deps: {
  claims: ClaimsService;
  candidates: CandidatesService;
  elections: ElectionsService;
  photos: PhotosRepository;
  baseUrl: string;
  newsroomName: string;
  pages: PageCache;
}): Router {
  const router = Router();
  const site = new URL(deps.baseUrl).host;

  // Previews are fetched by other sites' servers and may be shown inside their pages.
  const crossOrigin = (res: Response) => res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');

  router.get('/claims/:slug/share.png', async (req, res) => {
    const { slug } = req.params;
    crossOrigin(res);
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

  // Candidate and election images have their pages' version: the site's (any published change).
  router.get('/candidates/:slug/share.png', async (req, res) => {
    crossOrigin(res);
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: () => deps.candidates.freshness(),
      view: 'share.png',
      locals: async () => {
        const { candidate, scoreboard } = await deps.candidates.candidateShare(req.params.slug);
        const t = req.t;
        const current = candidate.photos ?? [];
        const jpegs = await deps.photos.jpegs(current.map((photo) => photo.id));
        const photoOf = (person: string): SharePhoto | undefined => {
          const photo = current.find((p) => p.person === person);
          const jpeg = photo && jpegs.get(photo.id);
          return photo && jpeg
            ? { jpeg, credit: t('photo.credit', { credit: photo.credit, licence: photo.licence }) }
            : undefined;
        };
        const share: CandidateShare = {
          name: candidate.name,
          runningMate: candidate.running_mate
            ? `${t('candidate.running_mate')}: ${candidate.running_mate}`
            : undefined,
          context: [
            candidate.election_name,
            candidate.party,
            candidate.ballot_number ? t('candidate.ballot_number', { number: candidate.ballot_number }) : '',
          ]
            .filter(Boolean)
            .join(' · '),
          photos: { candidate: photoOf('candidate'), runningMate: photoOf('running_mate') },
          scales: shareScales(scoreboard, t, req.lang),
          empty: t('scoreboard.empty'),
          newsroom: deps.newsroomName,
          site,
        };
        const fullName = candidate.running_mate
          ? `${candidate.name} – ${candidate.running_mate}`
          : candidate.name;
        return {
          share,
          description: `${fullName}: ${t('share.candidate_claims', { count: scoreboard.total.toLocaleString(req.lang) })}`,
        };
      },
      draw: async (locals) => {
        const { share, description } = locals as { share: CandidateShare; description: string };
        return { body: await renderPng(candidateShareSvg(share), description), contentType: PNG };
      },
    });
  });

  router.get('/elections/:slug/share.png', async (req, res) => {
    crossOrigin(res);
    await deps.pages.respond(req, res, {
      scope: 'site',
      freshness: () => deps.elections.freshness(),
      view: 'share.png',
      locals: async () => {
        const page = await deps.elections.electionPage(req.params.slug);
        const { election, scoreboard, tickets } = page;
        const t = req.t;
        const claims = t('share.claims_count', { count: scoreboard.total.toLocaleString(req.lang) });
        const share: ElectionShare = {
          name: election.name,
          context: [election.office, election.region, formatDate(election.voting_day, req.lang, 'long')]
            .filter(Boolean)
            .join(' · '),
          counts: `${t('share.tickets_count', { count: tickets.length.toLocaleString(req.lang) })} · ${claims}`,
          scales: shareScales(scoreboard, t, req.lang),
          empty: t('scoreboard.empty'),
          newsroom: deps.newsroomName,
          site,
        };
        return { share, description: `${election.name}: ${claims}` };
      },
      draw: async (locals) => {
        const { share, description } = locals as { share: ElectionShare; description: string };
        return { body: await renderPng(electionShareSvg(share), description), contentType: PNG };
      },
    });
  });

  return router;
}

/** A scoreboard's scales as the share images draw them, every count written out. */
export function shareScales(board: Scoreboard, t: Translate, lang: string): ShareScale[] {
  return board.scales.map((scale) => ({
    caption: t(`scoreboard.caption.${scale.kind}`, { count: scale.total.toLocaleString(lang) }),
    segments: scale.rows
      .filter((row) => row.count > 0)
      .map((row) => ({ width: row.width, colour: TONE_COLOURS[row.tone] })),
    legend: scale.rows
      .filter((row) => row.count > 0)
      .map((row) => `${t(`status.${row.status}`)} ${row.count.toLocaleString(lang)}`)
      .join(' · '),
  }));
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
