/** API tokens: stored as sha256 hex digests, revocable. */
import crypto from 'node:crypto';
import type { Db } from './db';

export interface TokenOwner {
  id: string;
  unitCode: string;
  unitPath: string;
}

/** The live token with this digest and its unit's path, or null. */
export async function findLiveToken(db: Db, tokenHash: string): Promise<TokenOwner | null> {
  const row = await db.apiToken.findUnique({ where: { tokenHash }, select: { id: true, unitCode: true, revokedAt: true } });
  if (!row || row.revokedAt) return null;
  const unit = await db.unit.findUnique({ where: { code: row.unitCode }, select: { path: true } });
  return unit ? { id: row.id, unitCode: row.unitCode, unitPath: unit.path } : null;
}

export async function createToken(db: Db, unitCode: string, tokenHash: string, label?: string): Promise<{ id: string }> {
  const id = crypto.randomUUID();
  await db.apiToken.create({ data: { id, unitCode, tokenHash, label: label ?? null } });
  return { id };
}

/** Marks a token revoked; false when no token has this id. Revoking twice is a no-op. */
export async function revokeToken(db: Db, id: string): Promise<boolean> {
  const row = await db.apiToken.findUnique({ where: { id }, select: { revokedAt: true } });
  if (!row) return false;
  if (!row.revokedAt) await db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  return true;
}
