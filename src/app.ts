import path from 'node:path';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Config } from './config';
import { createDb, type Db, onDestroy, poolSize } from './db';
import { aboutRoutes } from './features/about/about.routes';
import { apiRoutes } from './features/api/api.routes';
import { benchRoutes } from './features/bench/bench.routes';
import { candidatesRepository } from './features/candidates/candidates.repository';
import { candidatesRoutes } from './features/candidates/candidates.routes';
import { candidatesService } from './features/candidates/candidates.service';
import { claimsRepository } from './features/claims/claims.repository';
import { claimsRoutes } from './features/claims/claims.routes';
import { claimsService } from './features/claims/claims.service';
import { verdictRepository } from './features/claims/verdict.repository';
import { electionsRepository } from './features/elections/elections.repository';
import { electionsRoutes } from './features/elections/elections.routes';
import { electionsService } from './features/elections/elections.service';
import { exportsRepository } from './features/exports/exports.repository';
import { exportsRoutes } from './features/exports/exports.routes';
import { feedsRoutes } from './features/feeds/feeds.routes';
import { feedsService } from './features/feeds/feeds.service';
import { freshnessRepository } from './features/freshness/freshness.repository';
import { healthRoutes, type Lifecycle } from './features/health/health.routes';
import { homeRoutes } from './features/home/home.routes';
import { homeService } from './features/home/home.service';
import { photosRepository, photoUrl } from './features/photos/photos.repository';
import { photoFileRoutes, photoRoutes } from './features/photos/photos.routes';
import { photosService } from './features/photos/photos.service';
import { sharingRoutes } from './features/sharing/sharing.routes';
import { errorHandler, notFound } from './http/errors';
import { language } from './http/language';
import { requestLimits, strictQueryParser } from './http/limits';
import { type PageCache, pageCache } from './http/page-cache';
import { requestLogger } from './http/request-logger';
import { securityHeaders } from './http/security-headers';
import { viewEngine } from './http/view-engine';
import { listenForChanges } from './lib/change-feed';
import './http/types';
import { auditRepository } from './features/audit/audit.repository';
import { auditRoutes } from './features/audit/audit.routes';
import { authRoutes } from './features/auth/auth.routes';
import { authService } from './features/auth/auth.service';
import { signInAttemptsRepository } from './features/auth/sign-in-attempts.repository';
import { claimEditingRoutes } from './features/claim-editing/claim-editing.routes';
import { claimEditingService } from './features/claim-editing/claim-editing.service';
import { newsroomClaimsRepository } from './features/claim-editing/newsroom-claims.repository';
import { referenceRepository } from './features/election-editing/reference.repository';
import { referenceRoutes } from './features/election-editing/reference.routes';
import { referenceService } from './features/election-editing/reference.service';
import { deskService } from './features/events/desk.service';
import { eventPagesRepository } from './features/events/event-pages.repository';
import { eventPagesRoutes } from './features/events/event-pages.routes';
import { eventPagesService, videoAt } from './features/events/event-pages.service';
import { eventStreams } from './features/events/event-stream';
import { eventsRepository } from './features/events/events.repository';
import { eventsRoutes } from './features/events/events.routes';
import { eventsService } from './features/events/events.service';
import { evidenceRepository } from './features/evidence/evidence.repository';
import { evidenceRoutes } from './features/evidence/evidence.routes';
import { evidenceService } from './features/evidence/evidence.service';
import { finderRepository } from './features/finder/finder.repository';
import { finderRoutes } from './features/finder/finder.routes';
import { finderService } from './features/finder/finder.service';
import { followingRepository } from './features/following/following.repository';
import { followingRoutes } from './features/following/following.routes';
import { followingService } from './features/following/following.service';
import { outboxWorker } from './features/following/outbox.worker';
import { readerKeys } from './features/following/reader-keys';
import { readerLimits } from './features/following/reader-limits';
import { importsRoutes } from './features/imports/imports.routes';
import { importsService } from './features/imports/imports.service';
import { mailTransport } from './features/mail/mail.transport';
import { dashboardService } from './features/newsroom/dashboard.service';
import { dashboardRoutes, newsroomGuard } from './features/newsroom/newsroom.routes';
import { privacyRoutes } from './features/privacy/privacy.routes';
import { repeatsRoutes } from './features/repeats/repeats.routes';
import { repeatsService } from './features/repeats/repeats.service';
import { responsesRepository } from './features/responses/responses.repository';
import { responsesRoutes } from './features/responses/responses.routes';
import { responsesService } from './features/responses/responses.service';
import { reviewRoutes } from './features/review/review.routes';
import { reviewService } from './features/review/review.service';
import { statusUpdatesRepository } from './features/status-updates/status-updates.repository';
import { statusUpdatesRoutes } from './features/status-updates/status-updates.routes';
import { statusUpdatesService } from './features/status-updates/status-updates.service';
import { agenciesRepository } from './features/term/agencies.repository';
import { termDeskRoutes } from './features/term/desk.routes';
import { termDeskService } from './features/term/desk.service';
import { reportsRepository } from './features/term/reports.repository';
import { termRepository } from './features/term/term.repository';
import { termRoutes } from './features/term/term.routes';
import { termService } from './features/term/term.service';
import { tipQueueRoutes } from './features/tips/tip-queue.routes';
import { tipQueueService } from './features/tips/tip-queue.service';
import { tipsRepository } from './features/tips/tips.repository';
import { tipsRoutes } from './features/tips/tips.routes';
import { tipsService } from './features/tips/tips.service';
import { usersRepository } from './features/users/users.repository';
import { usersRoutes } from './features/users/users.routes';
import { usersService } from './features/users/users.service';
import { doubleSubmitCsrf, loginCsrf } from './http/csrf';
import { sessionCookieName, sessions } from './http/session';
import { projectRoot } from './lib/build-info';
import type { Logger } from './lib/logger';

/**
 * How many verdict-page queries run at once before further first views wait to share the next one: half
 * the pool's connections (at least one), the rest stay for everything else.
 */
export function verdictQueriesAtOnce(db: Db): number {
  return Math.max(1, Math.floor(poolSize(db) / 2));
}

export const viewsDir = path.join(projectRoot, 'views');

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** Shared with server.ts so that readiness turns false when shutdown begins. */
  lifecycle?: Lifecycle;
  /**
   * Where public pages, feeds and the API read (a read replica); default: made from DATABASE_READ_URL when
   * set (and closed with `db`), else `db` itself. The newsroom always uses `db`.
   */
  readDb?: Db;
  /** The page cache, given to see its statistics in tests; default: made from the configuration. */
  pages?: PageCache;
  /** Starts the worker that sends readers' email (server.ts); it stops when `db` is destroyed. */
  mailWorker?: boolean;
}

/** The whole application without listen(): server.ts serves it, tests drive it with supertest. */
export function buildApp(deps: AppDeps): Express {
  const { config, db, logger } = deps;
  const lifecycle = deps.lifecycle ?? { accepting: true };

  // Public reads go to the read replica when there is one; writes and the newsroom to the primary.
  let readDb = deps.readDb;
  if (!readDb && config.databaseReadUrl && config.databaseReadUrl !== config.databaseUrl) {
    const replica = createDb({
      databaseUrl: config.databaseReadUrl,
      applicationName: 'kawal-janji-read',
      logger,
    });
    onDestroy(db, () => replica.destroy());
    readDb = replica;
  }
  readDb ??= db;
  // Changes committed to the database, by any writer on any instance: heard by the page cache (below)
  // and by the live-event streams.
  const changes = listenForChanges(db, logger);
  // Rendered public pages kept in memory. Versions are remembered between requests only when changes are
  // heard from the database the pages are read from: a replica cannot LISTEN, so with one every request
  // asks it for the version (one small query) and replication lag bounds how soon a change shows.
  const pages =
    deps.pages ??
    pageCache({
      enabled: config.pageCache,
      maxBytes: config.pageCacheBytes,
      feed: config.pageCache && readDb === db ? changes : undefined,
    });

  // Wiring: repositories into services into routes, in one place.
  const claims = claimsRepository(readDb);
  const verdicts = verdictRepository(readDb, { queriesAtOnce: verdictQueriesAtOnce(readDb) });
  const elections = electionsRepository(readDb);

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', strictQueryParser);
  // For tests and diagnostics: app.get('pageCache').stats().
  app.set('pageCache', pages);
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  app.set('view cache', config.env !== 'development');
  // Templates compiled once into plain functions; line-by-line bookkeeping (for finding a template's own
  // errors) only while developing.
  app.engine('ejs', viewEngine({ cache: config.env !== 'development', debug: config.env === 'development' }));
  app.locals.siteName = config.newsroomName;
  app.locals.baseUrl = config.baseUrl;
  // The video of a claim's event at its moment (views/events/verdict-link.ejs).
  app.locals.videoAt = videoAt;
  app.locals.photoUrl = photoUrl;

  app.use(requestLogger(logger));
  app.use(securityHeaders({ production: config.isProduction }));
  app.use(compression());
  app.use(healthRoutes({ db, lifecycle }));
  app.use(cookieParser());
  app.use(language({ secureCookies: config.isProduction }));
  // URL length, query parameter count, nested names, path encoding: refused with their own 4xx pages.
  app.use(requestLimits());
  app.use(
    '/assets',
    express.static(path.join(viewsDir, 'assets'), { maxAge: '1d', fallthrough: false, index: false }),
  );

  // --- sessions, sign-in and CSRF: before any route that needs req.user ---
  const accounts = usersRepository(db);
  app.use(sessions({ config, db, logger, users: accounts }));
  app.use(pages.forgetOnWrites());
  app.use(
    authRoutes({
      auth: authService({ db, users: accounts, attempts: signInAttemptsRepository(db) }),
      loginCsrf: loginCsrf({ secret: config.sessionSecret, production: config.isProduction }),
      sessionCookie: { name: sessionCookieName(config.isProduction), secure: config.isProduction },
    }),
  );

  // --- public pages, feeds and API ---
  {
    const freshness = freshnessRepository(readDb);
    const candidates = candidatesRepository(readDb);
    const publicClaims = claimsService({
      claims,
      verdicts,
      elections,
      freshness,
      remember: pages.remembering,
    });
    const publicElections = electionsService({ elections, claims, freshness });
    const termRows = termRepository(readDb);
    const term = termService({
      term: termRows,
      agencies: agenciesRepository(readDb),
      reports: reportsRepository(readDb),
      elections,
      candidates,
    });
    const { baseUrl, newsroomName } = config;
    app.use(homeRoutes({ home: homeService({ elections, claims, freshness }), baseUrl, pages }));
    const eventPages = eventPagesService({ pages: eventPagesRepository(readDb), elections });
    app.use(
      electionsRoutes({
        elections: publicElections,
        baseUrl,
        pages,
        eventsOf: (electionId) => eventPages.list({ electionIds: [electionId] }),
        term: term.electionTerm,
      }),
    );
    const streams = eventStreams({
      db,
      pages: eventPagesRepository(db),
      feed: changes,
      baseUrl,
      logger,
      perIp: config.eventStreamsPerIp,
      heartbeatMs: config.eventStreamHeartbeatMs,
      lifecycle,
    });
    onDestroy(db, async () => streams.close());
    app.set('eventStreams', streams);
    app.use(eventPagesRoutes({ events: eventPages, baseUrl, pages, streams }));
    const publicCandidates = candidatesService({ candidates, claims, elections, freshness, term });
    app.use(
      candidatesRoutes({
        candidates: publicCandidates,
        baseUrl,
        pages,
        eventsOf: (candidateId) => eventPages.forCandidate(candidateId),
      }),
    );
    app.use(
      exportsRoutes({
        claims: publicClaims,
        baseUrl,
        reasons: termRows.currentReasons,
        links: exportsRepository(readDb).links,
      }),
    );
    app.use(claimsRoutes({ claims: publicClaims, baseUrl, newsroomName, pages }));
    app.use(
      sharingRoutes({
        claims: publicClaims,
        candidates: publicCandidates,
        elections: publicElections,
        photos: photosRepository(readDb),
        baseUrl,
        newsroomName,
        pages,
      }),
    );
    app.use(photoFileRoutes({ photos: photosRepository(readDb) }));
    app.use(aboutRoutes({ baseUrl }));
    const reportRows = reportsRepository(readDb);
    const agencyPages = agenciesRepository(readDb);
    const termPages = {
      reports: reportRows.all,
      latestReports: reportRows.latest,
      agencies: agencyPages.pages,
    };
    app.use(
      feedsRoutes({
        feeds: feedsService({
          claims,
          elections,
          freshness,
          events: () => eventPages.list(),
          term: termPages,
          responses: responsesRepository(readDb).latestPublic,
        }),
        baseUrl,
        newsroomName,
      }),
    );
    app.use(apiRoutes({ claims: publicClaims, elections: publicElections, baseUrl }));
    app.use(termRoutes({ term, candidates, freshness, baseUrl, newsroomName, pages }));
  }

  // --- readers: follow by email (the outbox and its worker) ---
  const keys = readerKeys(config.sessionSecret);
  const limits = readerLimits(db, keys);
  const followingRows = followingRepository(db);
  const following = followingService({ db, following: followingRows, keys, limits });
  app.use(followingRoutes({ following, baseUrl: config.baseUrl }));
  const tipRows = tipsRepository(db);
  app.use(
    tipsRoutes({
      tips: tipsService({ db, tips: tipRows, following, followingRows, keys, limits }),
      csrf: doubleSubmitCsrf({
        secret: config.sessionSecret,
        production: config.isProduction,
        purpose: 'tip',
      }),
      baseUrl: config.baseUrl,
    }),
  );
  app.use(privacyRoutes({ baseUrl: config.baseUrl, retentionDays: config.readerRetentionDays }));
  if (deps.mailWorker) {
    const worker = outboxWorker({
      db,
      transport: mailTransport({
        smtpUrl: config.smtpUrl,
        from: config.mailFrom,
        dataDir: config.dataDir,
        logger,
      }),
      keys,
      baseUrl: config.baseUrl,
      siteName: config.newsroomName,
      logger,
      embedded: !config.databaseUrl,
      leaseSeconds: config.mailLeaseSeconds,
      tipRetentionDays: config.readerRetentionDays,
    });
    worker.start();
    onDestroy(db, () => worker.stop());
  }

  // --- benchmark static ceiling (docs/PERFORMANCE.md): off unless BENCH_STATIC_CEILING is set ---
  if (config.benchStaticCeiling) app.use(benchRoutes());

  // --- newsroom ---
  {
    const audit = auditRepository(db);
    const reference = referenceRepository(db);
    const newsroomClaims = newsroomClaimsRepository(db);
    const evidence = evidenceRepository(db);
    const statusUpdateRows = statusUpdatesRepository(db);
    const agencyRows = agenciesRepository(db);
    const references = referenceService({ db, reference, audit });
    const events = eventsService({ db, events: eventsRepository(db), audit });
    const claimEditing = claimEditingService({
      db,
      claims: newsroomClaims,
      reference,
      evidence,
      statusUpdates: statusUpdateRows,
      audit,
      announcePublished: followingRows.announcePublished,
      events,
    });
    const statusUpdates = statusUpdatesService({
      db,
      statusUpdates: statusUpdateRows,
      claims: newsroomClaims,
      evidence,
      audit,
      announce: followingRows.announce,
    });
    const imports = importsService({
      db,
      claimEditing,
      reference,
      claims: newsroomClaims,
      evidence,
      statusUpdates: statusUpdateRows,
      agencies: agencyRows,
      baseUrl: config.baseUrl,
    });
    app.use('/newsroom', newsroomGuard());
    app.use(dashboardRoutes({ dashboard: dashboardService({ claims: newsroomClaims, statusUpdates }) }));
    const finder = finderService({ finder: finderRepository(db), reference, claimEditing });
    app.use(
      claimEditingRoutes({
        claimEditing,
        reference: references,
        events,
        agencies: agencyRows.all,
        duplicates: (body) => finder.unconfirmedDuplicates(body),
      }),
    );
    const evidenceEditing = evidenceService({ db, evidence, claims: newsroomClaims, audit });
    app.use(evidenceRoutes({ evidence: evidenceEditing }));
    app.use(
      eventsRoutes({
        events,
        reference: references,
        desk: deskService({ db, events }),
        feed: changes,
        heartbeatMs: config.eventStreamHeartbeatMs,
        lifecycle,
      }),
    );
    app.use(statusUpdatesRoutes({ statusUpdates }));
    const review = reviewService({ claims: newsroomClaims, statusUpdates });
    app.use(reviewRoutes({ review, statusUpdates }));
    app.use(referenceRoutes({ reference: references }));
    app.use(
      photoRoutes({
        photos: photosService({ db, photos: photosRepository(db), reference, audit }),
        reference: references,
      }),
    );
    app.use(importsRoutes({ imports }));
    app.use(finderRoutes({ finder }));
    app.use(repeatsRoutes({ repeats: repeatsService({ db }) }));
    app.use(responsesRoutes({ responses: responsesService({ db, responses: responsesRepository(db) }) }));
    app.use(
      tipQueueRoutes({
        queue: tipQueueService({ db, tips: tipRows, followingRows, claimEditing, evidence: evidenceEditing }),
        reference: references,
        events,
        agencies: agencyRows.all,
        evidence: evidenceEditing,
      }),
    );
    app.use(usersRoutes({ users: usersService({ db, users: accounts }) }));
    app.use(auditRoutes({ audit }));
    app.use(
      termDeskRoutes({
        desk: termDeskService({ db, agencies: agencyRows, reports: reportsRepository(db), audit }),
      }),
    );
  }

  app.use(notFound);
  app.use(errorHandler({ logger, development: config.env === 'development' }));
  return app;
}
