/** Resolves `Authorization: Bearer <token>` into res.locals.principal, or answers 401. */
import type { RequestHandler } from 'express';
import type { Db } from '../../read-model/db';
import { ApiError } from '../errors';
import { sameSecret, sha256, type Principal } from '../auth';
import { findLiveToken } from '../../read-model/tokens';

export function authenticate(db: Db, adminToken: string | undefined): RequestHandler {
  // An empty admin token would silently disable the admin: refuse to build the app instead.
  if (adminToken !== undefined && adminToken.length < 16) throw new Error('the admin token must be at least 16 characters');
  return async (req, res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ApiError(401, 'UNAUTHENTICATED', 'missing bearer token');
    const token = match[1]!;
    let principal: Principal | null = null;
    if (adminToken && sameSecret(token, adminToken)) {
      principal = { kind: 'admin', id: 'admin' };
    } else {
      const owner = await findLiveToken(db, sha256(token).toString('hex'));
      if (owner) principal = { kind: 'unit', ...owner };
    }
    if (!principal) throw new ApiError(401, 'UNAUTHENTICATED', 'unknown, revoked or expired token');
    res.locals.principal = principal;
    next();
  };
}
