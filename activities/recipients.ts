/**
 * Whom an implementing document goes to: the given descendants of the unit, or its
 * children. Problems are business rejections: the unit's Update fails with the reason.
 */
import type { Db } from '../read-model/db';
import type { UnitRef } from '../contract/activities';
import { isUnder } from '../read-model/subtree';
import { businessRejection } from './errors';

export async function findUnitPath(db: Db, code: string): Promise<string | null> {
  return (await db.unit.findUnique({ where: { code }, select: { path: true } }))?.path ?? null;
}

export async function resolveForwardRecipients(db: Db, unitCode: string, unitPath: string, codes?: string[]): Promise<UnitRef[]> {
  if (!codes || codes.length === 0) {
    const children = await db.unit.findMany({ where: { parentCode: unitCode }, select: { code: true, name: true }, orderBy: { code: 'asc' } });
    if (children.length === 0) throw businessRejection(`${unitCode} has no units below it to forward to`);
    return children;
  }
  const unique = [...new Set(codes)];
  const rows = await db.unit.findMany({
    where: { code: { in: unique } },
    select: { code: true, name: true, path: true },
  });
  // A prefix test in code: Prisma's startsWith is a LIKE that does not escape `_` or `%`.
  const found = new Set(rows.filter((r) => isUnder(r.path, unitPath)).map((r) => r.code));
  const outside = unique.filter((c) => !found.has(c) || c === unitCode);
  if (outside.length) throw businessRejection(`not units below ${unitCode}: ${outside.slice(0, 10).join(', ')}`);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return unique.map((c) => ({ code: c, name: byCode.get(c)!.name }));
}
