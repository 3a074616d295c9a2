/** Counts behind the API's quotas. */
import { OPEN_STAGES } from '../contract/definitions';
import type { Db } from './db';

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
