/** Directives in the read model: plain objects out, no Prisma types leaking to routes. */
import { levelRulesOf, type LevelRules, type TaskInput } from '../contract/definitions';
import type { Actor } from '../contract/actor';
import type { Db } from './db';
import { Prisma } from './generated/prisma';
import { taskRows } from './task-rows';

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

/** A task of a document, as recorded with it. */
export interface TaskRow {
  id: string;
  seq: number;
  title: string;
  leadUnitCode: string | null;
  coordinatingUnits: string[];
  dueAt: Date | null;
  recurrence: string | null;
}

/** A directive with its tasks in order. */
export interface DirectiveWithTasks extends DirectiveRow {
  tasks: TaskRow[];
}

export type DocumentLink = Pick<DirectiveRow, 'id' | 'number' | 'kind' | 'title' | 'issuerCode' | 'issuedAt' | 'parentId'>;

export async function findDirective(db: Db, id: string): Promise<DirectiveRow | null> {
  return db.directive.findUnique({ where: { id } });
}

/** The directive `id` when it is the root of a cascade (not an implementing document), else null. */
export async function findRootDirective(db: Db, id: string): Promise<DirectiveRow | null> {
  const directive = await findDirective(db, id);
  return directive && directive.rootId === directive.id ? directive : null;
}

/**
 * The level rules of a cascade's stored policy (the one copy of it), or null when the
 * directive is not in the read model.
 */
export async function levelRulesOfDirective(db: Db, rootId: string): Promise<LevelRules | null> {
  const row = await db.directive.findUnique({ where: { id: rootId }, select: { policy: true } });
  if (!row) return null;
  return levelRulesOf((row.policy ?? {}) as LevelRules);
}

/** The document `issuerCode` issued under `number` (numbers are unique per issuer), or null. */
export async function findDirectiveByNumber(db: Pick<Db, 'directive'>, issuerCode: string, number: string): Promise<DirectiveRow | null> {
  return db.directive.findUnique({ where: { issuerCode_number: { issuerCode, number } } });
}

/** A new cascade's root directive, as the issue request gives it. */
export interface NewRootDirective {
  id: string;
  number: string;
  kind: string;
  title: string;
  issuerCode: string;
  issuedAt: Date;
  body: string | null;
  basedOn: string[];
  recipients: string[];
  /** Stored as JSON: the policy as issued, with its computed report cycles. */
  policy: object;
  tasks: TaskInput[];
  /** Who issued it (contract/actor.ts). */
  issuedBy?: Actor;
}

/** Records an ACTIVE root directive (its own root) with its tasks, in one statement. */
export async function createRootDirective(db: Pick<Db, 'directive'>, d: NewRootDirective): Promise<void> {
  const { tasks, policy, issuedBy, ...fields } = d;
  await db.directive.create({
    data: {
      ...fields,
      rootId: d.id,
      policy: policy as Prisma.InputJsonValue,
      issuedBy: issuedBy ? (issuedBy as unknown as Prisma.InputJsonValue) : Prisma.JsonNull,
      status: 'ACTIVE',
      tasks: { create: taskRows(d.id, tasks) },
    },
  });
}

export async function findDirectiveWithTasks(db: Db, id: string): Promise<DirectiveWithTasks | null> {
  return db.directive.findUnique({
    where: { id },
    include: { tasks: { orderBy: { seq: 'asc' }, omit: { directiveId: true } } },
  });
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
/** What an amendment changes, and who made it (recorded as the directive's last amendment). */
export interface DirectiveAmendment {
  title?: string;
  body?: string;
  by?: Actor;
}

async function bumpVersion(
  db: Pick<Db, '$queryRaw'>,
  id: string,
  changes: DirectiveAmendment,
): Promise<number | null> {
  const rows = await db.$queryRaw<Array<{ version: number }>>`
    UPDATE "Directive"
       SET version = version + 1,
           title = COALESCE(${changes.title ?? null}::text, title),
           body = COALESCE(${changes.body ?? null}::text, body),
           "amendedBy" = ${changes.by ? JSON.stringify(changes.by) : null}::jsonb
     WHERE id = ${id} AND "rootId" = id AND status = 'ACTIVE'
     RETURNING version`;
  return rows[0]?.version ?? null;
}

/** Marks an ACTIVE root directive REVOKED; false when it was not active. */
async function markRevoked(db: Pick<Db, 'directive'>, id: string, by: Actor | undefined): Promise<boolean> {
  const { count } = await db.directive.updateMany({
    where: { id, rootId: id, status: 'ACTIVE' },
    data: { status: 'REVOKED', revokedBy: by ? (by as unknown as Prisma.InputJsonValue) : Prisma.JsonNull },
  });
  return count === 1;
}

/**
 * Amends an ACTIVE root directive: bumps its version (and title/body) and runs `notify`
 * with the new version in the same transaction, so that nothing is written when `notify`
 * throws. Returns the new version; null (and `notify` is not run) when it is not active.
 */
export async function amendActiveDirective(
  db: Db,
  id: string,
  changes: DirectiveAmendment,
  notify: (version: number) => Promise<void>,
): Promise<number | null> {
  return db.$transaction(async (tx) => {
    const version = await bumpVersion(tx, id, changes);
    if (version !== null) await notify(version);
    return version;
  });
}

/**
 * Revokes an ACTIVE root directive and runs `notify` in the same transaction, so that
 * nothing is written when `notify` throws. False (and `notify` is not run) when it was not active.
 */
export async function revokeActiveDirective(
  db: Db,
  id: string,
  notify: () => Promise<void>,
  by?: Actor,
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    if (!(await markRevoked(tx, id, by))) return false;
    await notify();
    return true;
  });
}

/** What a document's status can be: a cascade's root is ACTIVE or REVOKED, a unit's own implementing document IMPLEMENTING. */
export const DIRECTIVE_STATUSES = ['ACTIVE', 'REVOKED', 'IMPLEMENTING'] as const;
export type DirectiveStatus = (typeof DIRECTIVE_STATUSES)[number];

/** Filters of a directive list; every one given must hold. */
export interface DirectiveListFilter {
  issuerCode?: string | undefined;
  status?: DirectiveStatus | undefined;
  /** Contained in the number or the title, ignoring case. */
  text?: string | undefined;
  /** One of the document's references, exactly as written ("164-HD/BTGTW"). */
  basedOn?: string | undefined;
  /** Issued at or after this instant. */
  issuedFrom?: Date | undefined;
  /** Issued at or before this instant. */
  issuedTo?: Date | undefined;
  /**
   * Only what this unit issued or what reached it: a cascade it has an assignment in, or
   * the document its assignment received. Undefined: every document (the admin).
   */
  visibleTo?: string | undefined;
  limit: number;
  offset: number;
}

/** A document as a list shows it: no body, policy or tasks (GET /directives/{rootId} has them). */
export type DirectiveListItem = Pick<
  DirectiveRow,
  'id' | 'number' | 'kind' | 'title' | 'issuerCode' | 'issuedAt' | 'basedOn' | 'status' | 'version' | 'rootId' | 'parentId' | 'createdAt'
>;

/** A LIKE pattern matching the strings that contain `text` (escape character `\`). */
const likeContaining = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Documents (cascade roots and units' implementing documents) matching `f`, newest issue
 * date first, with the total matching count. One statement for the page and one for the count.
 *
 * "Reached the unit" is read from its assignments: a cascade it has an assignment in
 * (`directiveId`), and the document that assignment received (`receivedDirectiveId`, a root
 * or the implementing document of the unit that forwarded it). Number and title matching is
 * a substring scan (ILIKE): the table holds documents, not assignments, so it stays small
 * enough that a trigram index would cost more in writes and set-up than it saves.
 */
export async function listDirectives(
  db: Pick<Db, '$queryRaw'>,
  f: DirectiveListFilter,
): Promise<{ total: number; limit: number; offset: number; items: DirectiveListItem[] }> {
  const conditions: Prisma.Sql[] = [];
  if (f.issuerCode !== undefined) conditions.push(Prisma.sql`d."issuerCode" = ${f.issuerCode}`);
  if (f.status !== undefined) conditions.push(Prisma.sql`d.status = ${f.status}`);
  if (f.text !== undefined) {
    const pattern = likeContaining(f.text);
    conditions.push(Prisma.sql`(d.number ILIKE ${pattern} ESCAPE '\\' OR d.title ILIKE ${pattern} ESCAPE '\\')`);
  }
  if (f.basedOn !== undefined) conditions.push(Prisma.sql`d."basedOn" @> ARRAY[${f.basedOn}]::text[]`);
  if (f.issuedFrom !== undefined) conditions.push(Prisma.sql`d."issuedAt" >= ${f.issuedFrom}`);
  if (f.issuedTo !== undefined) conditions.push(Prisma.sql`d."issuedAt" <= ${f.issuedTo}`);
  if (f.visibleTo !== undefined) {
    conditions.push(Prisma.sql`(d."issuerCode" = ${f.visibleTo} OR d.id IN (
        SELECT a."directiveId" FROM "Assignment" a WHERE a."unitCode" = ${f.visibleTo}
        UNION ALL
        SELECT a."receivedDirectiveId" FROM "Assignment" a WHERE a."unitCode" = ${f.visibleTo}))`);
  }
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  const [items, counted] = await Promise.all([
    db.$queryRaw<DirectiveListItem[]>`
      SELECT d.id, d.number, d.kind, d.title, d."issuerCode", d."issuedAt", d."basedOn", d.status,
             d.version, d."rootId", d."parentId", d."createdAt"
        FROM "Directive" d ${where}
       ORDER BY d."issuedAt" DESC, d.id
       LIMIT ${f.limit} OFFSET ${f.offset}`,
    db.$queryRaw<Array<{ n: number }>>`SELECT count(*)::int AS n FROM "Directive" d ${where}`,
  ]);
  return { total: counted[0]?.n ?? 0, limit: f.limit, offset: f.offset, items };
}
