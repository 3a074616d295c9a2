/** Drafts of implementing documents and reports, kept for the unit's leader. */
import crypto from 'node:crypto';
import type { Db } from './db';
import type { Prisma } from './generated/prisma';

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
}

export async function createDraft(
  db: Db,
  d: { directiveId: string; unitCode: string; kind: DraftKind; content: object; draftedBy: string },
): Promise<DraftRow> {
  return db.draft.create({ data: { id: crypto.randomUUID(), ...d, content: d.content as Prisma.InputJsonValue } });
}

/** A unit's drafts in one cascade, newest first. */
export async function draftsOf(db: Db, directiveId: string, unitCode: string): Promise<DraftRow[]> {
  return db.draft.findMany({ where: { directiveId, unitCode }, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], take: 200 });
}

export async function findDraft(db: Db, id: string): Promise<DraftRow | null> {
  return db.draft.findUnique({ where: { id } });
}

/** Marks a draft issued (what was issued, when edited); false when it already was. */
export async function markIssued(db: Db, id: string, issuedBy: string, issuedContent: object | null): Promise<boolean> {
  const { count } = await db.draft.updateMany({
    where: { id, status: 'DRAFT' },
    data: {
      status: 'ISSUED',
      issuedAt: new Date(),
      issuedBy,
      ...(issuedContent ? { issuedContent: issuedContent as Prisma.InputJsonValue } : {}),
    },
  });
  return count === 1;
}
