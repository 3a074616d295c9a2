/**
 * Who receives a document a unit issues: the units it names, which must lie strictly below
 * it, or by default its direct children. The outcome is data, not an error, so that the
 * API can answer a 400 and an activity a business rejection from the same rule.
 */
import type { UnitRef } from '../contract/activities';
import type { UnitDb } from './units';

export type RecipientResolution =
  /** The recipients: the named units deduplicated in the order given, or the children by code. */
  | UnitRef[]
  /** Named units that are unknown, the unit itself, or not below it (all of them, in order). */
  | { outside: string[] }
  /** No units were named and the unit has none below it. */
  | { noChildren: true };

/**
 * Resolves the recipients of a document issued by `unitCode`. `codes` undefined or empty
 * means "the unit's children". One query either way: the named units are read together
 * with the issuing unit, and "below" is a prefix test on the materialized paths.
 */
export async function resolveRecipients(
  db: UnitDb,
  unitCode: string,
  codes?: string[],
): Promise<RecipientResolution> {
  if (!codes || codes.length === 0) {
    const children = await db.unit.findMany({
      where: { parentCode: unitCode },
      select: { code: true, name: true, _count: { select: { children: true } } },
      orderBy: { code: 'asc' },
    });
    return children.length > 0 ? children.map(refOf) : { noChildren: true };
  }
  const unique = [...new Set(codes)];
  const rows = await db.unit.findMany({
    where: { code: { in: [unitCode, ...unique] } },
    select: { code: true, name: true, path: true, _count: { select: { children: true } } },
  });
  const issuerPath = rows.find((r) => r.code === unitCode)?.path;
  const below = new Map(
    rows
      .filter((r) => issuerPath !== undefined && r.code !== unitCode && r.path.startsWith(issuerPath))
      .map((r) => [r.code, refOf(r)]),
  );
  const outside = unique.filter((c) => !below.has(c));
  if (outside.length > 0) return { outside };
  return unique.map((c) => below.get(c)!);
}

/** A unit as a recipient: whether it is a leaf decides where its assignment runs. */
const refOf = (u: { code: string; name: string; _count: { children: number } }): UnitRef => ({
  code: u.code,
  name: u.name,
  leaf: u._count.children === 0,
});

/**
 * The named units that are neither `unitCode` itself nor below it (unknown ones included):
 * a task of a unit's document may name the unit itself as lead or coordinator.
 */
export async function unitsOutside(db: UnitDb, unitCode: string, codes: string[]): Promise<string[]> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return [];
  const rows = await db.unit.findMany({
    where: { code: { in: [unitCode, ...unique] } },
    select: { code: true, path: true },
  });
  const rootPath = rows.find((r) => r.code === unitCode)?.path;
  const inside = new Set(rows.filter((r) => rootPath !== undefined && r.path.startsWith(rootPath)).map((r) => r.code));
  return unique.filter((c) => !inside.has(c));
}
