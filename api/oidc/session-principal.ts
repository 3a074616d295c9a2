/**
 * Requests made with a session cookie: the caller is the signed-in person, as recorded now
 * (their unit and roles are read at each request, so that a person moved or demoted acts as
 * they are now). Such a request that changes anything must carry the session's CSRF token
 * in X-CSRF-Token (synchronizer token, csrf-sync): a page of another site can make the
 * browser send the cookie, never read the token. Bearer tokens are unaffected: a request
 * with an Authorization header is a machine's, and no browser adds one on its own.
 */
import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';
import type { Db } from '../../read-model/db';
import { sessionPerson } from '../../read-model/people';
import type { Config } from '../../runtime/config';
import type { Principal } from '../auth';
import { ApiError } from '../errors';
import { ROLES, effectiveRoles } from '../roles';
import { pastAbsoluteTimeout } from './sessions';

/** res.locals.via: how the principal was identified. */
export const VIA_SESSION = 'session';

export const csrf = csrfSync({ getTokenFromRequest: (req) => req.get('x-csrf-token') });

export function identifySession(db: Db, config: Pick<Config, 'SESSION_ABSOLUTE_HOURS'>): RequestHandler {
  return async (req, res, next) => {
    if (res.locals.principal || req.get('authorization') || !req.session?.personId) return next();
    if (pastAbsoluteTimeout(req.session.signedInAt, config)) {
      res.locals.authFailure = 'the session has ended; sign in again';
      return req.session.destroy(() => next());
    }
    const person = await sessionPerson(db, req.session.personId);
    const principal = person ? principalOf(person) : null;
    if (!principal) {
      res.locals.authFailure = 'the signed-in person is no longer recorded with a unit and a role; sign in again';
      return req.session.destroy(() => next());
    }
    res.locals.principal = principal;
    res.locals.via = VIA_SESSION;
    next();
  };
}

function principalOf(p: NonNullable<Awaited<ReturnType<typeof sessionPerson>>>): Principal | null {
  const person = { id: p.id, name: p.name, position: p.position };
  if (p.admin) return { kind: 'admin', id: 'admin', person };
  const roles = p.roles.filter((r) => (ROLES as readonly string[]).includes(r));
  // A person with no role holds none (a token without roles keeps every role; a person never).
  if (!p.unitCode || !p.unitPath || roles.length === 0) return null;
  return { kind: 'unit', id: `person:${p.id}`, person, unitCode: p.unitCode, unitPath: p.unitPath, roles: effectiveRoles(roles) };
}

/** 403 CSRF_TOKEN_INVALID for a state-changing request made with the session cookie without its token. */
export const requireCsrfToken: RequestHandler = (req, res, next) => {
  if (res.locals.via !== VIA_SESSION || ['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
  if (csrf.isRequestValid(req)) return next();
  throw new ApiError(403, 'CSRF_TOKEN_INVALID', 'a change made with the session cookie needs the X-CSRF-Token header of this session');
};
