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
import { authenticate } from './middleware/authenticate';
import { errorHandler, notFound } from './middleware/error-handler';
import { requestContext } from './middleware/request-context';
import { docsPage, openApiDocument } from './openapi';
import { directiveRoutes } from './routes/directives';
import { healthRoutes } from './routes/health';
import { unitRoutes } from './routes/units';
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
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestContext());
  app.use(helmet());
  app.use(healthRoutes(deps.health ?? defaultHealth(db, client)));

  const v1 = express.Router();
  v1.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  v1.get('/docs', (_req, res) => {
    res.type('html').send(docsPage());
  });
  v1.use(express.json({ limit: config.REQUEST_BODY_LIMIT }));
  v1.use(authenticate(db, config.CASCADE_ADMIN_TOKEN));
  v1.use(unitRoutes(db));
  v1.use(directiveRoutes({ db, client, config }));
  app.use('/api/v1', v1);

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
