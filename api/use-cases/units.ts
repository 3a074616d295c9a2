/** Units and their tokens. */
import type { Store } from '../../read-model/repositories';
import type { UpsertUnitsResult } from '../../read-model/units';
import { ApiError } from '../errors';
import { newToken, type Principal } from '../auth';
import { requireAdmin, requireVisibleUnit } from '../permissions';
import type { UnitsUpsertInput } from '../schemas';
import type { Role } from '../roles';

/** What the units' and tokens' use-cases use. */
export type UnitStore = Pick<Store, 'units' | 'tokens' | 'audit'>;

export async function putUnits(store: UnitStore, p: Principal, input: UnitsUpsertInput): Promise<UpsertUnitsResult> {
  requireAdmin(p);
  return store.units.upsert(input.units);
}

export async function readUnit(store: UnitStore, p: Principal, code: string) {
  const unit = await store.units.get(code);
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
  store: UnitStore,
  p: Principal,
  code: string,
  req: { label?: string; expiresInDays?: number; roles?: Role[] },
  lifetime: TokenLifetime,
): Promise<{ id: string; token: string; unitCode: string; expiresAt: string; roles: Role[] }> {
  requireAdmin(p);
  if (!(await store.units.get(code))) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
  const days = Math.min(req.expiresInDays ?? lifetime.defaultDays, lifetime.maxDays);
  const { token, hash } = newToken();
  const { id, expiresAt } = await store.tokens.create(code, hash, {
    ...(req.label !== undefined ? { label: req.label } : {}),
    expiresAt: new Date(Date.now() + days * 86_400_000),
    roles: req.roles ?? [],
  });
  return { id, token, unitCode: code, expiresAt: expiresAt.toISOString(), roles: req.roles ?? [] };
}

/** A unit's tokens (never their secrets), for the admin: to find and revoke a lost one. */
export async function unitTokens(store: UnitStore, p: Principal, code: string, page: { limit: number; offset: number }) {
  requireAdmin(p);
  if (!(await store.units.get(code))) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
  return store.tokens.list(code, page);
}

/** Revokes every live token of a unit, lost ones included. */
export async function revokeAllTokens(store: UnitStore, p: Principal, code: string): Promise<{ unitCode: string; revoked: number }> {
  requireAdmin(p);
  if (!(await store.units.get(code))) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
  return { unitCode: code, revoked: await store.tokens.revokeUnit(code) };
}

/** The audit trail, newest first: the admin's view of who changed what. */
export async function auditTrail(store: UnitStore, p: Principal, f: { unit?: string; limit: number; offset: number }) {
  requireAdmin(p);
  return store.audit.list({ ...(f.unit ? { unitCode: f.unit } : {}), limit: f.limit, offset: f.offset });
}

export async function deleteToken(store: UnitStore, p: Principal, id: string): Promise<void> {
  requireAdmin(p);
  if (!(await store.tokens.revoke(id))) throw new ApiError(404, 'NOT_FOUND', `token ${id} not found`);
}
