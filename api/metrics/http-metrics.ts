/**
 * The API's own request metrics: one duration histogram by method, route template and status
 * (`/api/v1/directives/:id`, never the ids themselves, so the series stay bounded), and the
 * requests refused before reaching a route: by a rate limit (which one, from the
 * `RateLimit-Policy` header express-rate-limit sets) or for want of a valid bearer token.
 */
import type { Request, RequestHandler, Response } from 'express';
import { Counter, Histogram, type Registry } from 'prom-client';

export interface HttpMetrics {
  middleware: RequestHandler;
}

/** The route the request matched, as declared; the path of no request is ever a label. */
export function routeTemplateOf(req: Request, res: Response): string {
  const route = (req as Request & { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  if (req.originalUrl.startsWith('/dashboard')) return '/dashboard/*';
  return res.statusCode === 404 ? 'unmatched' : 'unrouted';
}

/**
 * "total" or "token": the limiter that refused. Each limiter passed appends its policy to
 * `RateLimit-Policy` (draft-8, `"<identifier>"; q=…`), the overall one first; the one that
 * refused is the last.
 */
function limitOf(res: Response): string {
  const header = res.getHeader('RateLimit-Policy');
  const text = Array.isArray(header) ? header.join(', ') : String(header ?? '');
  const name = [...text.matchAll(/"([a-z]+)"/g)].at(-1)?.[1];
  return name === 'total' || name === 'token' ? name : 'other';
}

export function httpMetrics(registry: Registry): HttpMetrics {
  const duration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Time from a request arriving to its response being written, by method, route template and status.',
    labelNames: ['method', 'route', 'status'] as const,
    // From a cached read (ms) to an update waiting on its workflow (UPDATE_TIMEOUT_MS, 20 s).
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'cascade_api_rate_limited_requests_total',
    help: 'Requests refused with 429 by a rate limit: limit="total" (the whole API) or "token" (one token).',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  const unauthenticated = new Counter({
    name: 'cascade_api_unauthenticated_requests_total',
    help: 'Requests refused with 401: no bearer token, or an unknown, revoked or expired one.',
    registers: [registry],
  });
  rateLimited.inc({ limit: 'total' }, 0);
  rateLimited.inc({ limit: 'token' }, 0);
  unauthenticated.inc(0);

  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      end({ method: req.method, route: routeTemplateOf(req, res), status: String(res.statusCode) });
      if (res.statusCode === 429) rateLimited.inc({ limit: limitOf(res) });
      else if (res.statusCode === 401) unauthenticated.inc();
    });
    next();
  };
  return { middleware };
}
