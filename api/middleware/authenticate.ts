/**
 * Bearer authentication in two steps, so that the rate limits can tell callers apart
 * before anything answers 401: `identify` resolves `Authorization: Bearer <token>` into
 * res.locals.principal when the token is valid and never answers; `requireCaller`, on the
 * routes that need a caller, answers 401 for a request left without one.
 */
import type { RequestHandler } from 'express';
import type { Db } from '../../read-model/db';
import { ApiError } from '../errors';
import { sameSecret, sha256, type Principal } from '../auth';
import { findLiveToken } from '../../read-model/tokens';
import { effectiveRoles } from '../roles';

/** Why a request has no caller, for the 401 `requireCaller` answers. */
const FAILURE = 'authFailure';

export function identify(db: Db, adminToken: string | undefined): RequestHandler {
  // An empty admin token would silently disable the admin: refuse to build the app instead.
  if (adminToken !== undefined && adminToken.length < 16) throw new Error('the admin token must be at least 16 characters');
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      res.locals[FAILURE] = 'missing bearer token';
      return next();
    }
    const token = match[1]!;
    let principal: Principal | null = null;
    if (adminToken && sameSecret(token, adminToken)) {
      principal = { kind: 'admin', id: 'admin' };
    } else {
      const owner = await findLiveToken(db, sha256(token).toString('hex'));
      if (owner) principal = { kind: 'unit', ...owner, roles: effectiveRoles(owner.roles) };
    }
    if (principal) res.locals.principal = principal;
    else res.locals[FAILURE] = 'unknown, revoked or expired token';
    next();
  };
}

/** 401 unless `identify` found a caller. */
export const requireCaller: RequestHandler = (_req, res, next) => {
  if (res.locals.principal) return next();
  throw new ApiError(401, 'UNAUTHENTICATED', String(res.locals[FAILURE] ?? 'missing bearer token'));
};
