/**
 * Builds the HTTP API: a trace span, request ids and logs, request metrics (/metrics), security
 * headers, /health (cached, never limited), bearer identification, the rate limits (per token,
 * and per client address for requests without a valid token), JSON bodies within the
 * configured limit (parsed only for routes that take one, after authentication), the routes,
 * and one error handler. Listening and shutdown belong to api/index.ts (or whoever embeds the app).
 */
import express from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Db } from '../read-model/db';
import { fileStoreFrom } from '../documents/file-store-config';
import type { FileStore } from '../documents/file-store';
import { createStore } from '../read-model/store';
import type { Config } from '../runtime/config';
import { dashboardPages } from './dashboard-pages';
import { identify, requireCaller } from './middleware/authenticate';
import { auditRefusals } from './middleware/audit-refusals';
import { errorHandler, notFound } from './middleware/error-handler';
import { idempotency } from './middleware/idempotency';
import { documentUpload } from './middleware/upload';
import { perClientRateLimit, perTokenRateLimit } from './middleware/rate-limit';
import { requestContext } from './middleware/request-context';
import { traceRequest } from './middleware/trace-request';
import { apiMetrics } from './metrics';
import { authRoutes } from './oidc/routes';
import { identifySession, requireCsrfToken } from './oidc/session-principal';
import { sessions } from './oidc/sessions';
import { docsPage } from './openapi';
import { routerFor, type RouteDeps } from './route-registry';
import { API_BASE, routeGroups, v1Routes } from './routes';
import { healthRoutes } from './routes/health';
import './routes/route-deps';
import { defaultHealth, type HealthChecks } from './use-cases/health';
import { cachedHealth } from './use-cases/health-cache';
import type { IssueLimits } from './use-cases/issue-directive';
import { refuseBeyondQuotas, refuseCostlyTasks, refusePlanBeyondReach, refuseShortDurations } from './use-cases/issue-limits';

export interface AppDeps {
  /** The database: the repositories are built over it once, here. */
  db: Db;
  client: Client;
  config: Config;
  /** Replaces the default database and Temporal probes (e.g. to add the worker's). */
  health?: () => Promise<HealthChecks>;
  /** Replaces the file store the configuration names. */
  files?: FileStore;
}

export function createApp(deps: AppDeps): express.Express {
  const { db, client, config } = deps;
  const store = createStore(db);
  const issueLimits: IssueLimits = {
    refuseShortDurations: (policy) => refuseShortDurations(policy, config),
    refuseCostlyTasks: (tasks) => refuseCostlyTasks(tasks, config),
    refuseBeyondQuotas: (counts, p, issuerCode, recipients, taskParts) =>
      refuseBeyondQuotas(counts, p, issuerCode, recipients, taskParts, config),
    refusePlanBeyondReach: (p, tasks) => refusePlanBeyondReach(p, tasks, config),
  };
  const health = cachedHealth(deps.health ?? defaultHealth(store, client), config.HEALTH_CACHE_MS);
  const routeDeps: RouteDeps = { db, store, issueLimits, client, config, files: deps.files ?? fileStoreFrom(config), health };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  const metrics = apiMetrics(db, { businessCacheMs: config.BUSINESS_METRICS_CACHE_MS });
  // The span first, so that the request's log lines carry its trace id.
  app.use(traceRequest());
  app.use(requestContext());
  app.use(metrics.track);
  app.use(helmet());
  // Health probes and metrics stay outside the limits, so that a flood does not get the API
  // restarted, nor blind its operators.
  app.use(routerFor(healthRoutes, routeDeps));
  app.get('/metrics', metrics.serve);

  // People signed in through OpenID Connect carry a session cookie; machines a bearer token.
  const session = config.OIDC_ISSUER ? [sessions(config)] : [];
  app.use('/auth', ...session, perClientRateLimit(config, db), authRoutes(db, config));

  const v1 = express.Router();
  const bySession = config.OIDC_ISSUER ? [...session, identifySession(db, config)] : [];
  v1.use(identify(db, config.CASCADE_ADMIN_TOKEN), ...bySession, perTokenRateLimit(config, db), perClientRateLimit(config, db));
  // A page about the API, not part of it: public, and not in the OpenAPI document.
  v1.get('/docs', (_req, res) => {
    res.type('html').send(docsPage(routeGroups));
  });
  v1.use(
    routerFor(v1Routes, routeDeps, {
      guard: [requireCaller, requireCsrfToken],
      body: express.json({ limit: config.REQUEST_BODY_LIMIT }),
      once: idempotency(db, config),
      upload: documentUpload(config.DOCUMENT_MAX_BYTES),
    }),
  );
  app.use(API_BASE, v1);
  app.use(dashboardPages());

  app.use(notFound);
  app.use(auditRefusals(db));
  app.use(errorHandler);
  return app;
}
