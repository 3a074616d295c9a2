/** GET /health: 200 when the API, the database and Temporal answer, else 503 naming the part. */
import { defineRoute, type Route } from '../route-registry';
import { retryAfterForHealth } from '../retry-after';
import { healthSchema } from '../schemas';

export const healthRoutes: Route[] = [
  defineRoute(
    {
      method: 'get',
      path: '/health',
      summary: 'API, database and Temporal answer (503 names the failing part)',
      response: healthSchema,
      public: true,
      errors: [503],
    },
    async ({ deps }) => {
      const checks = { api: 'ok', ...(await deps.health()) };
      const ok = Object.values(checks).every((v) => v === 'ok');
      if (ok) return { status: 200, body: { status: 'ok', checks } };
      return { status: 503, body: { status: 'unavailable', checks }, retryAfterS: retryAfterForHealth(checks) };
    },
  ),
];
