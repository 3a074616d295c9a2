/** Units and their tokens. */
import type { Db } from '../../read-model/db';
import { getUnit, upsertUnits, type UpsertUnitsResult } from '../../read-model/units';
import { ApiError } from '../errors';
import { newToken, type Principal } from '../auth';
import { requireAdmin, requireVisibleUnit } from '../permissions';
import { createToken, revokeToken } from '../../read-model/tokens';
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

/** The token is returned once; only its sha256 is stored. */
export async function issueToken(db: Db, p: Principal, code: string, label?: string): Promise<{ id: string; token: string; unitCode: string }> {
  requireAdmin(p);
  if (!(await getUnit(db, code))) throw new ApiError(404, 'NOT_FOUND', `unit ${code} not found`);
  const { token, hash } = newToken();
  const { id } = await createToken(db, code, hash, label);
  return { id, token, unitCode: code };
}

export async function deleteToken(db: Db, p: Principal, id: string): Promise<void> {
  requireAdmin(p);
  if (!(await revokeToken(db, id))) throw new ApiError(404, 'NOT_FOUND', `token ${id} not found`);
}
