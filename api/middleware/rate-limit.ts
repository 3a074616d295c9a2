/**
 * Rate limits (express-rate-limit), after `identify` and before the body is parsed: a
 * caller with a valid token is counted per token (the admin's counted as one token); a
 * request without one (no token, or a bad one) per client address, on its own budget, so
 * that unauthenticated traffic cannot use up anybody's. Past either, 429 RATE_LIMITED with
 * `Retry-After` (seconds) and the `RateLimit` / `RateLimit-Policy` headers.
 *
 * The counters are in PostgreSQL (read-model/rate-limit-store.ts), shared by every API
 * process of the deployment (RATE_LIMIT_NAMESPACE).
 */
import type { RequestHandler, Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Config } from '../../runtime/config';
import type { Db } from '../../read-model/db';
import { PostgresRateLimitStore } from '../../read-model/rate-limit-store';
import { ApiError } from '../errors';
import type { Principal } from '../auth';

type LimitConfig = Pick<
  Config,
  'RATE_LIMIT_WINDOW_MS' | 'RATE_LIMIT_PER_TOKEN' | 'RATE_LIMIT_PER_CLIENT' | 'RATE_LIMIT_NAMESPACE'
>;

const refuse =
  (what: string): RequestHandler =>
  (_req, res, next) =>
    next(new ApiError(429, 'RATE_LIMITED', `too many requests ${what}; retry after ${String(res.get('Retry-After'))} s`));

const callerOf = (res: Response): Principal | undefined => res.locals.principal as Principal | undefined;

/** The requests of one token (the admin's counted as one token); skips requests without a caller. */
export function perTokenRateLimit(config: LimitConfig, db: Db): RequestHandler {
  return rateLimit({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limit: config.RATE_LIMIT_PER_TOKEN,
    identifier: 'token',
    store: new PostgresRateLimitStore(db, `${config.RATE_LIMIT_NAMESPACE}:token`),
    skip: (_req, res) => !callerOf(res),
    keyGenerator: (_req, res) => callerOf(res)!.id,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: refuse('with this token'),
  });
}

/**
 * The requests of one client address that carry no valid token. `trust proxy` is off, so
 * the address is the connection's: behind a reverse proxy every client shares the proxy's
 * budget (per-address limits then belong in the proxy), still apart from the tokens'.
 */
export function perClientRateLimit(config: LimitConfig, db: Db): RequestHandler {
  return rateLimit({
    windowMs: config.RATE_LIMIT_WINDOW_MS,
    limit: config.RATE_LIMIT_PER_CLIENT,
    identifier: 'client',
    store: new PostgresRateLimitStore(db, `${config.RATE_LIMIT_NAMESPACE}:client`),
    skip: (_req, res) => callerOf(res) !== undefined,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown'),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: refuse('without a valid token from this address'),
  });
}
