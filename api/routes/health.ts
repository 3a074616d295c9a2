/** GET /health: 200 when the API, the database and Temporal answer, else 503 naming the part. */
import { Router } from 'express';
import type { HealthChecks } from '../use-cases/health';

export function healthRoutes(check: () => Promise<HealthChecks>): Router {
  const r = Router();
  r.get('/health', async (_req, res) => {
    const checks = { api: 'ok', ...(await check()) };
    const ok = Object.values(checks).every((v) => v === 'ok');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks });
  });
  return r;
}
