/** API tokens: stored as sha256 hex digests, expiring, revocable one by one or per unit. */
import crypto from 'node:crypto';
import type { Db } from './db';
import type { Page } from './page';

export interface TokenOwner {
  id: string;
  unitCode: string;
  unitPath: string;
  /** As issued: empty means every role in the unit. */
  roles: string[];
  /** As issued, to name the token as the actor of what it does. */
  label: string | null;
}

/** What the admin sees of a token: never its digest. */
export interface TokenInfo {
  id: string;
  unitCode: string;
  label: string | null;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  roles: string[];
}

/** lastUsedAt is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The live token with this digest and its unit's path, or null (unknown, revoked or
 * expired). Records the use in lastUsedAt when the last record is older than a minute.
 */
export async function findLiveToken(db: Db, tokenHash: string, now = new Date()): Promise<TokenOwner | null> {
  // Every API request passes here: one raw statement (token and unit), no query compilation.
  const [row] = await db.$queryRaw<
    Array<{ id: string; unitCode: string; revokedAt: Date | null; expiresAt: Date; lastUsedAt: Date | null; path: string; roles: string[]; label: string | null }>
  >`
    SELECT t.id, t."unitCode", t."revokedAt", t."expiresAt", t."lastUsedAt", u.path, t.roles, t.label
      FROM "ApiToken" t JOIN "Unit" u ON u.code = t."unitCode"
     WHERE t."tokenHash" = ${tokenHash}`;
  if (!row || row.revokedAt || row.expiresAt <= now) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await db.$executeRaw`UPDATE "ApiToken" SET "lastUsedAt" = ${now} WHERE id = ${row.id}`;
  }
  return { id: row.id, unitCode: row.unitCode, unitPath: row.path, roles: row.roles, label: row.label };
}

export async function createToken(
  db: Db,
  unitCode: string,
  tokenHash: string,
  opts: { label?: string; expiresAt?: Date; roles?: string[] } = {},
): Promise<{ id: string; expiresAt: Date }> {
  const id = crypto.randomUUID();
  const expiresAt = opts.expiresAt ?? new Date(Date.now() + 90 * 86_400_000);
  await db.apiToken.create({ data: { id, unitCode, tokenHash, label: opts.label ?? null, expiresAt, roles: opts.roles ?? [] } });
  return { id, expiresAt };
}

/** A unit's tokens, newest first (revoked and expired ones included, so they can be audited). */
export async function listTokens(db: Db, unitCode: string, page: { limit: number; offset: number }): Promise<Page<TokenInfo>> {
  const where = { unitCode };
  const [total, items] = await Promise.all([
    db.apiToken.count({ where }),
    db.apiToken.findMany({
      where,
      select: { id: true, unitCode: true, label: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true, roles: true },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: page.limit,
      skip: page.offset,
    }),
  ]);
  return { total, limit: page.limit, offset: page.offset, items };
}

/** Marks a token revoked; false when no token has this id. Revoking twice is a no-op. */
export async function revokeToken(db: Db, id: string): Promise<boolean> {
  const row = await db.apiToken.findUnique({ where: { id }, select: { revokedAt: true } });
  if (!row) return false;
  if (!row.revokedAt) await db.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
  return true;
}

/** Revokes every live token of a unit (lost ones included); returns how many. */
export async function revokeUnitTokens(db: Db, unitCode: string): Promise<number> {
  const { count } = await db.apiToken.updateMany({ where: { unitCode, revokedAt: null }, data: { revokedAt: new Date() } });
  return count;
}
