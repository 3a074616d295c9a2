/**
 * Rate limits (express-rate-limit): one over every request the API answers, checked
 * before anything else, and one per token, checked right after authentication and before
 * the body is parsed. Past either, 429 RATE_LIMITED with `Retry-After` (seconds) and the
 * `RateLimit` / `RateLimit-Policy` headers.
 *
 * The counters live in this process's memory: with several API replicas each counts
 * alone, so the effective limit is multiplied by the replica count. A shared store
 * (express-rate-limit has Redis, Memcached and PostgreSQL stores) fixes that; see docs/security.md.
 */
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../../runtime/config';
import { ApiError } from '../errors';
import { principalOf } from '../auth';

type LimitConfig = Pick<Config, 'RATE_LIMIT_WINDOW_MS' | 'RATE_LIMIT_PER_TOKEN' | 'RATE_LIMIT_TOTAL'>;

const refuse =
  (what: string): RequestHandler =>
  (_req, res, next) =>
    next(new ApiError(429, 'RATE_LIMITED', `too many requests ${what}; retry after ${String(res.get('Retry-After'))} s`));

/** Every request the API answers, whoever sends it. */
export function overallRateLimit(config: LimitConfig): RequestHandler {
  return rateLimit({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limit: config.RATE_LIMIT_TOTAL,
    identifier: 'total',
    keyGenerator: () => 'total',
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: refuse('to this API'),
  });
}

/** The requests of one token (the admin's counted as one token); needs `authenticate` first. */
export function perTokenRateLimit(config: LimitConfig): RequestHandler {
  return rateLimit({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limit: config.RATE_LIMIT_PER_TOKEN,
    identifier: 'token',
    keyGenerator: (_req, res) => principalOf(res).id,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: refuse('with this token'),
  });
}
