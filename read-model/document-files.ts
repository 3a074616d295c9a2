/** Files kept with documents: their records (the bytes are in the file store). */
import type { Db } from './db';

export interface DocumentFileRecord {
  id: string;
  directiveId: string;
  role: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  storageKey: string;
  uploadedBy: string | null;
  createdAt: Date;
}

export async function addDocumentFile(db: Db, f: Omit<DocumentFileRecord, 'createdAt'>): Promise<DocumentFileRecord> {
  return db.documentFile.create({ data: f });
}

export async function documentFiles(db: Db, directiveId: string): Promise<DocumentFileRecord[]> {
  return db.documentFile.findMany({ where: { directiveId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
}

export async function documentFile(db: Db, directiveId: string, id: string): Promise<DocumentFileRecord | null> {
  return db.documentFile.findFirst({ where: { directiveId, id } });
}
