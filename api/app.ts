/**
 * Builds the HTTP API: security headers, request ids and logs, JSON bodies within the
 * configured limit, bearer authentication, the routes, and one error handler. Listening
 * and shutdown belong to api/index.ts (or whoever embeds the app).
 */
import express from 'express';
import helmet from 'helmet';
import type { Client } from '@temporalio/client';
import type { Db } from '../read-model/db';
import type { Config } from '../runtime/config';
import { dashboardPages } from './dashboard-pages';
import { authenticate } from './middleware/authenticate';
import { errorHandler, notFound } from './middleware/error-handler';
import { idempotency } from './middleware/idempotency';
import { requestContext } from './middleware/request-context';
import { docsPage } from './openapi';
import { routerFor, type RouteDeps } from './route-registry';
import { API_BASE, routeGroups, v1Routes } from './routes';
import { healthRoutes } from './routes/health';
import { defaultHealth, type HealthChecks } from './use-cases/health';

export interface AppDeps {
  db: Db;
  client: Client;
  config: Config;
  /** Replaces the default database and Temporal probes (e.g. to add the worker's). */
  health?: () => Promise<HealthChecks>;
}

export function createApp(deps: AppDeps): express.Express {
  const { db, client, config } = deps;
  const routeDeps: RouteDeps = { db, client, config, health: deps.health ?? defaultHealth(db, client) };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestContext());
  app.use(helmet());
  app.use(routerFor(healthRoutes, routeDeps));

  const v1 = express.Router();
  // A page about the API, not part of it: public, and not in the OpenAPI document.
  v1.get('/docs', (_req, res) => {
    res.type('html').send(docsPage(routeGroups));
  });
  v1.use(
    routerFor(v1Routes, routeDeps, {
      guard: [express.json({ limit: config.REQUEST_BODY_LIMIT }), authenticate(db, config.CASCADE_ADMIN_TOKEN)],
      once: idempotency(db),
    }),
  );
  app.use(API_BASE, v1);
  app.use(dashboardPages());

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
