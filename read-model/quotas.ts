/** Counts behind the API's quotas, and the lock that keeps them true across API processes. */
import { OPEN_STAGES } from '../contract/definitions';
import type { Db } from './db';
import type { Prisma } from './generated/prisma';

/**
 * Open cascades of an issuer: its active root directives with an assignment still open,
 * or with none yet (just issued). A cascade whose every assignment has closed no longer
 * counts, although the directive itself stays ACTIVE.
 */
export async function openCascades(db: Pick<Db, '$queryRaw'>, issuerCode: string): Promise<number> {
  const rows = await db.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM "Directive" d
     WHERE d."issuerCode" = ${issuerCode} AND d.id = d."rootId" AND d.status = 'ACTIVE'
       AND (EXISTS (SELECT 1 FROM "Assignment" a WHERE a."directiveId" = d.id AND a.stage = ANY(${[...OPEN_STAGES]}::text[]))
            OR NOT EXISTS (SELECT 1 FROM "Assignment" a WHERE a."directiveId" = d.id))`;
  return rows[0]?.n ?? 0;
}

/**
 * Takes the issuer's lock until `tx` ends: a PostgreSQL advisory lock, so that it holds
 * across every API process, and transaction-scoped, so that it is let go at commit, at
 * rollback and when the connection drops. Two issues by one issuer then count the open
 * cascades and insert one after the other; a count cannot be a table constraint.
 */
export async function lockIssuer(tx: Prisma.TransactionClient, issuerCode: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`directive-cascade:issue:${issuerCode}`}, 0))`;
}
