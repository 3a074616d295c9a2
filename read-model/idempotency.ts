/** IdempotencyRecord rows: status 0 marks a request still being processed. */
import type { Db } from './db';
import type { Prisma } from './generated/prisma';

export interface IdempotencyRow {
  requestHash: string;
  status: number;
  response: unknown;
  createdAt: Date;
}

/** Claims the key for this request; false when a row already holds it. */
export async function claimKey(db: Db, key: string, requestHash: string): Promise<boolean> {
  const { count } = await db.idempotencyRecord.createMany({
    data: [{ key, requestHash, status: 0, response: {} }],
    skipDuplicates: true,
  });
  return count === 1;
}

export async function findKey(db: Db, key: string): Promise<IdempotencyRow | null> {
  return db.idempotencyRecord.findUnique({
    where: { key },
    select: { requestHash: true, status: true, response: true, createdAt: true },
  });
}

/** Takes over a claim abandoned by a crashed request (still status 0 after `staleMs`). */
export async function reclaimStale(db: Db, key: string, requestHash: string, staleBefore: Date): Promise<boolean> {
  const { count } = await db.idempotencyRecord.updateMany({
    where: { key, status: 0, createdAt: { lt: staleBefore } },
    data: { requestHash, createdAt: new Date() },
  });
  return count === 1;
}

export async function completeKey(db: Db, key: string, status: number, response: unknown): Promise<void> {
  await db.idempotencyRecord.update({
    where: { key },
    data: { status, response: JSON.parse(JSON.stringify(response ?? null)) as Prisma.InputJsonValue },
  });
}

export async function releaseKey(db: Db, key: string): Promise<void> {
  await db.idempotencyRecord.deleteMany({ where: { key, status: 0 } });
}
