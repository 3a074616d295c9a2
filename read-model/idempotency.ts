/**
 * IdempotencyRecord rows: status 0 marks a request still being processed; such a row's
 * `response` names the request holding it (`{ claim: <id> }`), so that a request releases
 * only its own claim. Records expire
 * (`expiresAt`) and each owner (a token id or "admin") holds a bounded number: claiming a
 * key drops the owner's expired records and its oldest ones past the bound.
 */
import type { Db } from './db';
import type { Prisma } from './generated/prisma';

export interface IdempotencyRow {
  requestHash: string;
  status: number;
  response: unknown;
  createdAt: Date;
}

export interface ClaimInput {
  key: string;
  owner: string;
  requestHash: string;
  /** The request's own id, kept in the claim until its answer replaces it. */
  claimId: string;
  expiresAt: Date;
  /** How many records the owner may hold, this one included. */
  maxPerOwner: number;
}

/** Claims the key for this request; false when a live record already holds it. */
export async function claimKey(db: Db, c: ClaimInput): Promise<boolean> {
  const now = new Date();
  await db.idempotencyRecord.deleteMany({ where: { key: c.key, expiresAt: { lte: now } } });
  const { count } = await db.idempotencyRecord.createMany({
    data: [{ key: c.key, owner: c.owner, requestHash: c.requestHash, status: 0, response: { claim: c.claimId }, expiresAt: c.expiresAt }],
    skipDuplicates: true,
  });
  if (count === 1) await trimOwner(db, c.owner, c.maxPerOwner, now);
  return count === 1;
}

/** Drops the owner's expired records and its oldest beyond `max`. */
async function trimOwner(db: Db, owner: string, max: number, now: Date): Promise<void> {
  await db.$executeRaw`
    DELETE FROM "IdempotencyRecord"
     WHERE owner = ${owner}
       AND ("expiresAt" <= ${now}
            OR key IN (SELECT key FROM "IdempotencyRecord" WHERE owner = ${owner}
                        ORDER BY "createdAt" DESC, key DESC OFFSET ${max}))`;
}

/** The live record of the key, or null (an expired one is as good as gone). */
export async function findKey(db: Db, key: string): Promise<IdempotencyRow | null> {
  return db.idempotencyRecord.findFirst({
    where: { key, expiresAt: { gt: new Date() } },
    select: { requestHash: true, status: true, response: true, createdAt: true },
  });
}

/** Takes over a claim abandoned by a crashed request (still status 0 after `staleMs`). */
export async function reclaimStale(db: Db, key: string, requestHash: string, claimId: string, staleBefore: Date): Promise<boolean> {
  const { count } = await db.idempotencyRecord.updateMany({
    where: { key, status: 0, createdAt: { lt: staleBefore } },
    data: { requestHash, createdAt: new Date(), response: { claim: claimId } },
  });
  return count === 1;
}

/** Stores the answer; false when the record is gone (trimmed past the owner's bound). */
export async function completeKey(db: Db, key: string, status: number, response: unknown): Promise<boolean> {
  const { count } = await db.idempotencyRecord.updateMany({
    where: { key },
    data: { status, response: JSON.parse(JSON.stringify(response ?? null)) as Prisma.InputJsonValue },
  });
  return count === 1;
}

/** Drops the claim `claimId` holds on the key, if it still does (never another request's). */
export async function releaseKey(db: Db, key: string, claimId: string): Promise<void> {
  await db.idempotencyRecord.deleteMany({ where: { key, status: 0, response: { equals: { claim: claimId } } } });
}

/** Deletes every expired record (of every owner); returns how many. */
export async function sweepExpiredKeys(db: Db): Promise<number> {
  const { count } = await db.idempotencyRecord.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  return count;
}
