/** Calendar feed secrets (stored as sha256) and the open deadlines a unit's feed lists. */
import crypto from 'node:crypto';
import type { Db } from './db';

/** An open obligation of a unit with the document it belongs to. */
export interface OpenDeadline {
  id: string;
  directiveId: string;
  number: string;
  title: string;
  unitCode: string;
  key: string;
  role: string | null;
  deadline: Date;
}

/** Makes `secretHash` the unit's only live feed key (the previous ones are revoked). */
export async function rotateFeedKey(db: Db, unitCode: string, secretHash: string): Promise<void> {
  await db.$transaction([
    db.calendarFeedKey.updateMany({ where: { unitCode, revokedAt: null }, data: { revokedAt: new Date() } }),
    db.calendarFeedKey.create({ data: { id: crypto.randomUUID(), unitCode, secretHash } }),
  ]);
}

/** Revokes the unit's live feed keys; how many there were. */
export async function revokeFeedKeys(db: Db, unitCode: string): Promise<number> {
  return (await db.calendarFeedKey.updateMany({ where: { unitCode, revokedAt: null }, data: { revokedAt: new Date() } })).count;
}

/** Whether `secretHash` is a live feed key of the unit. */
export async function isLiveFeedKey(db: Db, unitCode: string, secretHash: string): Promise<boolean> {
  const row = await db.calendarFeedKey.findUnique({ where: { secretHash }, select: { unitCode: true, revokedAt: true } });
  return !!row && row.unitCode === unitCode && row.revokedAt === null;
}

/** Every open obligation of the unit (neither done nor cancelled), soonest first. */
export async function openDeadlines(db: Db, unitCode: string): Promise<OpenDeadline[]> {
  return db.$queryRaw<OpenDeadline[]>`
    SELECT o.id, o."directiveId", d.number, d.title, o."unitCode", o.key, o.role, o.deadline
      FROM "Obligation" o JOIN "Directive" d ON d.id = o."directiveId"
     WHERE o."unitCode" = ${unitCode} AND o."doneAt" IS NULL AND o."cancelledAt" IS NULL
     ORDER BY o.deadline, o.id`;
}
