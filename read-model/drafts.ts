/** Drafts of implementing documents and reports, kept for the unit's leader. */
import crypto from 'node:crypto';
import type { Db } from './db';
import type { Prisma } from './generated/prisma';
import { storedActor, type Actor } from '../contract/actor';

export type DraftKind = 'implementing_document' | 'report';

export interface DraftRow {
  id: string;
  directiveId: string;
  unitCode: string;
  kind: string;
  content: unknown;
  status: string;
  draftedBy: string;
  createdAt: Date;
  issuedAt: Date | null;
  issuedBy: string | null;
  issuedContent: unknown;
  /** Who drafted and who issued it; null for drafts recorded before actors existed. */
  drafter: Actor | null;
  issuer: Actor | null;
}

type StoredDraft = Omit<DraftRow, 'drafter' | 'issuer'> & { drafter: unknown; issuer: unknown };

const draftRow = (row: StoredDraft): DraftRow => ({ ...row, drafter: storedActor(row.drafter), issuer: storedActor(row.issuer) });
const actorJson = (actor: Actor): Prisma.InputJsonValue => actor as unknown as Prisma.InputJsonValue;

export async function createDraft(
  db: Db,
  d: { directiveId: string; unitCode: string; kind: DraftKind; content: object; draftedBy: string; drafter: Actor },
): Promise<DraftRow> {
  const data = { id: crypto.randomUUID(), ...d, content: d.content as Prisma.InputJsonValue, drafter: actorJson(d.drafter) };
  return draftRow(await db.draft.create({ data }));
}

/** A unit's drafts in one cascade, newest first. */
export async function draftsOf(db: Db, directiveId: string, unitCode: string): Promise<DraftRow[]> {
  const rows = await db.draft.findMany({ where: { directiveId, unitCode }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: 200 });
  return rows.map(draftRow);
}

export async function findDraft(db: Db, id: string): Promise<DraftRow | null> {
  const row = await db.draft.findUnique({ where: { id } });
  return row ? draftRow(row) : null;
}

/** Marks a draft issued (what was issued, when edited); false when it already was. */
export async function markIssued(
  db: Db,
  id: string,
  issued: { by: string; issuer: Actor },
  issuedContent: object | null,
): Promise<boolean> {
  const { count } = await db.draft.updateMany({
    where: { id, status: 'DRAFT' },
    data: {
      status: 'ISSUED',
      issuedAt: new Date(),
      issuedBy: issued.by,
      issuer: actorJson(issued.issuer),
      ...(issuedContent ? { issuedContent: issuedContent as Prisma.InputJsonValue } : {}),
    },
  });
  return count === 1;
}
