/** Units and their tokens. */
import type { Db } from '../../read-model/db';
import { getUnit, upsertUnits, type UpsertUnitsResult } from '../../read-model/units';
import { ApiError } from '../errors';
import { newToken, type Principal } from '../auth';
import { requireAdmin, requireVisibleUnit } from '../permissions';
import { createToken, listTokens, revokeToken, revokeUnitTokens } from '../../read-model/tokens';
import { listAudit } from '../../read-model/audit';
import type { UnitsUpsertInput } from '../schemas';

export async function putUnits(db: Db, p: Principal, input: UnitsUpsertInput): Promise<UpsertUnitsResult> {
  requireAdmin(p);
  return upsertUnits(db, input.units);
}

export async function readUnit(db: Db, p: Principal, code: string) {
  const unit = await getUnit(db, code);
  requireVisibleUnit(p, code, unit?.path ?? null);
  return unit!;
}

export interface TokenLifetime {
  /** Days a token lives when the request names none. */
  defaultDays: number;
  /** The longest lifetime granted: a longer request is shortened to it. */
  maxDays: number;
}

/** The token is returned once; only its sha256 is stored. It expires after `expiresInDays`. */
export async function issueToken(
  db: Db,
  p: Principal,
  code: string,
  req: { label?: string; expiresInDays?: number },
  lifetime: TokenLifetime,
): Promise<{ id: string; token: string; unitCode: string; expiresAt: string }> {
  requireAdmin(p);
  if (!(await getUnit(db, code))) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
  const days = Math.min(req.expiresInDays ?? lifetime.defaultDays, lifetime.maxDays);
  const { token, hash } = newToken();
  const { id, expiresAt } = await createToken(db, code, hash, {
    ...(req.label !== undefined ? { label: req.label } : {}),
    expiresAt: new Date(Date.now() + days * 86_400_000),
  });
  return { id, token, unitCode: code, expiresAt: expiresAt.toISOString() };
}

/** A unit's tokens (never their secrets), for the admin: to find and revoke a lost one. */
export async function unitTokens(db: Db, p: Principal, code: string, page: { limit: number; offset: number }) {
  requireAdmin(p);
  if (!(await getUnit(db, code))) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
  return listTokens(db, code, page);
}

/** Revokes every live token of a unit, lost ones included. */
export async function revokeAllTokens(db: Db, p: Principal, code: string): Promise<{ unitCode: string; revoked: number }> {
  requireAdmin(p);
  if (!(await getUnit(db, code))) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
  return { unitCode: code, revoked: await revokeUnitTokens(db, code) };
}

/** The audit trail, newest first: the admin's view of who changed what. */
export async function auditTrail(db: Db, p: Principal, f: { unit?: string; limit: number; offset: number }) {
  requireAdmin(p);
  return listAudit(db, { ...(f.unit ? { unitCode: f.unit } : {}), limit: f.limit, offset: f.offset });
}

export async function deleteToken(db: Db, p: Principal, id: string): Promise<void> {
  requireAdmin(p);
  if (!(await revokeToken(db, id))) throw new ApiError(404, 'NOT_FOUND', `token ${id} not found`);
}
