/**
 * A read restricted to some units (a unit token's subtree, api/permissions.ts `readScope`),
 * as a SQL condition on a table's "unitCode": every row when no list is given.
 */
import { Prisma } from './generated/prisma';

export function inUnits(unitCodes: string[] | undefined): Prisma.Sql {
  return unitCodes ? Prisma.sql`"unitCode" = ANY(${unitCodes}::text[])` : Prisma.sql`TRUE`;
}
