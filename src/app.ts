import path from 'node:path';
import { fileURLToPath } from 'node:url';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import type { Config } from './config';
import type { Db } from './db';
import { claimsRepository } from './features/claims/claims.repository';
import { claimsRoutes } from './features/claims/claims.routes';
import { claimsService } from './features/claims/claims.service';
import { electionsRepository } from './features/elections/elections.repository';
import { healthRoutes, type Lifecycle } from './features/health/health.routes';
import { homeRoutes } from './features/home/home.routes';
import { homeService } from './features/home/home.service';
import { errorHandler, notFound } from './http/errors';
import { language } from './http/language';
import { requestLogger } from './http/request-logger';
import { securityHeaders } from './http/security-headers';
import './http/types';
import type { Logger } from './lib/logger';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const viewsDir = path.join(root, 'views');

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  /** Shared with server.ts so that readiness turns false when shutdown begins. */
  lifecycle?: Lifecycle;
}

/** The whole application without listen(): server.ts serves it, tests drive it with supertest. */
export function buildApp(deps: AppDeps): Express {
  const { config, db, logger } = deps;
  const lifecycle = deps.lifecycle ?? { accepting: true };

  // Wiring: repositories into services into routes, in one place.
  const claims = claimsRepository(db);
  const elections = electionsRepository(db);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.set('view engine', 'ejs');
  app.set('views', viewsDir);
  app.set('view cache', config.env !== 'development');
  app.locals.siteName = config.newsroomName;
  app.locals.baseUrl = config.baseUrl;

  app.use(requestLogger(logger));
  app.use(securityHeaders({ production: config.isProduction }));
  app.use(compression());
  app.use(healthRoutes({ db, lifecycle }));
  app.use(cookieParser());
  app.use(language({ secureCookies: config.isProduction }));
  app.use(
    '/assets',
    express.static(path.join(viewsDir, 'assets'), { maxAge: '1d', fallthrough: false, index: false }),
  );

  // --- sessions, sign-in and CSRF (newsroom issue) go here, before any route that needs req.user ---

  // --- public pages, feeds and API (public tracker issue) ---
  app.use(homeRoutes({ home: homeService({ elections, claims }) }));
  app.use(claimsRoutes({ claims: claimsService({ claims }) }));

  // --- newsroom (newsroom issue) ---

  app.use(notFound);
  app.use(errorHandler({ logger, development: config.env === 'development' }));
  return app;
}
