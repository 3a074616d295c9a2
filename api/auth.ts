/**
 * Who is calling: the admin (CASCADE_ADMIN_TOKEN) or a unit (a token issued by the admin).
 * Tokens are compared as sha256 digests, so neither the admin token nor a unit token is
 * ever compared byte by byte in a way that leaks timing, and unit tokens are never stored.
 * What a caller may do is decided in permissions.ts.
 */
import crypto from 'node:crypto';
import type { Response } from 'express';
import { ApiError } from './errors';
import type { Role } from './roles';

/**
 * The person behind a request made with a session (signed in through OpenID Connect,
 * api/oidc/); absent for a bearer token, which is a machine's.
 */
export interface PrincipalPerson {
  /** Person.id */
  id: string;
  name: string;
  /** Chức vụ, as recorded for the person. */
  position: string | null;
}

export type Principal =
  | { kind: 'admin'; id: 'admin'; person?: PrincipalPerson }
  | {
      kind: 'unit';
      /** ApiToken.id, or "person:<Person.id>" for a signed-in person. */
      id: string;
      /** The signed-in person; absent for a unit token. */
      person?: PrincipalPerson;
      /** A unit token's label as issued (null when it has none); absent for a person. */
      label?: string | null;
      unitCode: string;
      /** Unit.path, "/ROOT/…/CODE/" */
      unitPath: string;
      /** The roles held in the unit, in effect (api/roles.ts `effectiveRoles`). */
      roles: Role[];
    };

export const sha256 = (value: string): Buffer => crypto.createHash('sha256').update(value, 'utf8').digest();

/** Constant-time equality of two secrets of any length (their digests are compared). */
export function sameSecret(a: string, b: string): boolean {
  return crypto.timingSafeEqual(sha256(a), sha256(b));
}

/** A fresh unit token: shown once, stored as its sha256. */
export function newToken(): { token: string; hash: string } {
  const token = `ct_${crypto.randomBytes(32).toString('base64url')}`;
  return { token, hash: sha256(token).toString('hex') };
}

export function principalOf(res: Response): Principal {
  const p = res.locals.principal as Principal | undefined;
  if (!p) throw new ApiError(401, 'UNAUTHENTICATED', 'missing bearer token');
  return p;
}
