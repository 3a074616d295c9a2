/** Directives in the read model: plain objects out, no Prisma types leaking to routes. */
import type { Db } from './db';

export interface DirectiveRow {
  id: string;
  number: string;
  kind: string;
  title: string;
  issuerCode: string;
  issuedAt: Date;
  body: string | null;
  basedOn: string[];
  rootId: string;
  parentId: string | null;
  recipients: string[];
  policy: unknown;
  status: string;
  version: number;
  createdAt: Date;
}

export type DocumentLink = Pick<DirectiveRow, 'id' | 'number' | 'kind' | 'title' | 'issuerCode' | 'issuedAt' | 'parentId'>;

export async function findDirective(db: Db, id: string): Promise<DirectiveRow | null> {
  return db.directive.findUnique({ where: { id } });
}

export async function findDirectiveWithTasks(db: Db, id: string) {
  return db.directive.findUnique({
    where: { id },
    include: { tasks: { orderBy: { seq: 'asc' }, omit: { directiveId: true } } },
  });
}

export async function issuerPath(db: Db, issuerCode: string): Promise<string | null> {
  const unit = await db.unit.findUnique({ where: { code: issuerCode }, select: { path: true } });
  return unit?.path ?? null;
}

/** The chain of documents from the root down to `id`, following parentId (one recursive query). */
export async function documentChain(db: Db, id: string): Promise<DocumentLink[]> {
  const rows = await db.$queryRaw<Array<DocumentLink & { depth: number }>>`
    WITH RECURSIVE chain AS (
      SELECT id, number, kind, title, "issuerCode", "issuedAt", "parentId", 0 AS depth
        FROM "Directive" WHERE id = ${id}
      UNION ALL
      SELECT d.id, d.number, d.kind, d.title, d."issuerCode", d."issuedAt", d."parentId", c.depth + 1
        FROM "Directive" d JOIN chain c ON d.id = c."parentId"
       WHERE c.depth < 50
    )
    SELECT id, number, kind, title, "issuerCode", "issuedAt", "parentId", depth FROM chain ORDER BY depth DESC`;
  return rows.map(({ depth: _depth, ...link }) => link);
}

/**
 * Bumps the version of an ACTIVE root directive (and optionally its title/body) inside `tx`
 * and returns the new version; null when it is not an active root.
 */
export async function bumpVersion(
  db: Pick<Db, '$queryRaw'>,
  id: string,
  changes: { title?: string; body?: string },
): Promise<number | null> {
  const rows = await db.$queryRaw<Array<{ version: number }>>`
    UPDATE "Directive"
       SET version = version + 1,
           title = COALESCE(${changes.title ?? null}::text, title),
           body = COALESCE(${changes.body ?? null}::text, body)
     WHERE id = ${id} AND "rootId" = id AND status = 'ACTIVE'
     RETURNING version`;
  return rows[0]?.version ?? null;
}

/** Marks an ACTIVE root directive REVOKED; false when it was not active. */
export async function markRevoked(db: Pick<Db, 'directive'>, id: string): Promise<boolean> {
  const { count } = await db.directive.updateMany({
    where: { id, rootId: id, status: 'ACTIVE' },
    data: { status: 'REVOKED' },
  });
  return count === 1;
}
