/** A unit's contacts (who is told) and the units nobody would be told about. */
import crypto from 'node:crypto';
import type { Db } from './db';
import type { Page } from './page';
import { likePrefix } from './subtree';

export interface ContactRecord {
  id: string;
  unitCode: string;
  name: string;
  email: string;
  language: string;
  delivery: string;
  personId: string | null;
  createdAt: Date;
}

export interface NewContact {
  name: string;
  email: string;
  language: string;
  delivery: string;
  personId?: string | null;
}

export interface UnreachableUnit {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

const select = {
  id: true,
  unitCode: true,
  name: true,
  email: true,
  language: true,
  delivery: true,
  personId: true,
  createdAt: true,
} as const;

export class DuplicateContactError extends Error {}

/** Adds a contact; DuplicateContactError when the unit already has one with this address. */
export async function createContact(db: Db, unitCode: string, c: NewContact): Promise<ContactRecord> {
  const clash = await db.contact.findFirst({ where: { unitCode, email: c.email }, select: { id: true } });
  if (clash) throw new DuplicateContactError(`${unitCode} already has a contact ${c.email}`);
  return db.contact.create({
    data: { id: crypto.randomUUID(), unitCode, personId: c.personId ?? null, name: c.name, email: c.email, language: c.language, delivery: c.delivery },
    select,
  });
}

export async function listContacts(db: Db, unitCode: string): Promise<ContactRecord[]> {
  return db.contact.findMany({ where: { unitCode }, select, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

export async function findContact(db: Db, unitCode: string, id: string): Promise<ContactRecord | null> {
  return db.contact.findFirst({ where: { unitCode, id }, select });
}

/** Changes a contact; null when it does not exist; DuplicateContactError on an address clash. */
export async function updateContact(db: Db, unitCode: string, id: string, patch: Partial<NewContact>): Promise<ContactRecord | null> {
  if (patch.email) {
    const clash = await db.contact.findFirst({ where: { unitCode, email: patch.email, NOT: { id } }, select: { id: true } });
    if (clash) throw new DuplicateContactError(`${unitCode} already has a contact ${patch.email}`);
  }
  const { count } = await db.contact.updateMany({ where: { unitCode, id }, data: patch });
  return count === 0 ? null : findContact(db, unitCode, id);
}

/** Removes a contact; false when it did not exist. Its past deliveries stay on record. */
export async function deleteContact(db: Db, unitCode: string, id: string): Promise<boolean> {
  return (await db.contact.deleteMany({ where: { unitCode, id } })).count > 0;
}

/**
 * Units of the subtree at `rootPath` that no contact would be told about (none receives
 * every message: delivery `each` or `both`), in tree order.
 */
export async function unreachableUnits(db: Db, rootPath: string, page: { limit: number; offset: number }): Promise<Page<UnreachableUnit>> {
  const prefix = likePrefix(rootPath);
  const where = `u.path LIKE $1 ESCAPE '\\' AND NOT EXISTS (
      SELECT 1 FROM "Contact" c WHERE c."unitCode" = u.code AND c.delivery IN ('each', 'both'))`;
  const [items, [count]] = await Promise.all([
    db.$queryRawUnsafe<UnreachableUnit[]>(
      `SELECT u.code, u.name, u.level, u."parentCode" FROM "Unit" u WHERE ${where} ORDER BY u.path LIMIT $2 OFFSET $3`,
      prefix,
      page.limit,
      page.offset,
    ),
    db.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "Unit" u WHERE ${where}`, prefix),
  ]);
  return { total: Number(count?.n ?? 0), limit: page.limit, offset: page.offset, items };
}
