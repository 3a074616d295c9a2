/**
 * Files kept with a directive or an implementing document: the original it was read from
 * and its attachments. Whoever may read the document's cascade may list and download them;
 * only its issuer (or the admin) adds one. A file is checked by content (documents/file-kind)
 * and bounded by DOCUMENT_MAX_BYTES (the upload middleware). The bytes are stored before the
 * record, under their SHA-256: a crash between the two leaves an unreferenced object, never
 * a record without its file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DocumentRejected, kindOf, type FileKind } from '../../documents/file-kind';
import type { FileStore } from '../../documents/file-store';
import type { DocumentFileRecord } from '../../read-model/document-files';
import type { DirectiveRow } from '../../read-model/directives';
import type { Store } from '../../read-model/repositories';
import type { Principal } from '../auth';
import { ApiError } from '../errors';
import { readScope, requireIssuer } from '../permissions';
import type { UploadedFile } from '../route-registry';
import { rootDirective, type ReadStore } from './read-directive';

export type FilesStore = ReadStore & Pick<Store, 'files'>;

const CONTENT_TYPES: Record<FileKind, string> = {
  txt: 'text/plain; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  edxml: 'application/xml',
};

/** What a client sees of a kept file. */
export const fileView = ({ id, directiveId, role, filename, contentType, size, sha256, uploadedBy, createdAt }: DocumentFileRecord) => ({
  id,
  directiveId,
  role,
  filename,
  contentType,
  size,
  sha256,
  uploadedBy,
  createdAt,
});

async function readableDocument(store: FilesStore, p: Principal, id: string): Promise<DirectiveRow> {
  const doc = await store.directives.find(id);
  if (!doc) throw new ApiError(404, 'NOT_FOUND', `no directive ${id}`);
  await readScope(store, p, await rootDirective(store, doc.rootId));
  return doc;
}

export async function keepFile(
  deps: { store: FilesStore; files: FileStore },
  p: Principal,
  id: string,
  input: { role: 'original' | 'attachment'; file?: UploadedFile },
) {
  const doc = await deps.store.directives.find(id);
  if (!doc) throw new ApiError(404, 'NOT_FOUND', `no directive ${id}`);
  requireIssuer(p, doc.issuerCode);
  if (!input.file) {
    throw new ApiError(400, 'VALIDATION_ERROR', 'invalid request', [{ code: 'custom', path: ['file'], message: 'send the file as multipart/form-data in the field "file"' }]);
  }
  let kind: FileKind;
  try {
    kind = kindOf(input.file.buffer, input.file.originalname);
  } catch (err) {
    if (err instanceof DocumentRejected) throw new ApiError(err.status, err.code, err.message);
    throw err;
  }
  const sha256 = createHash('sha256').update(input.file.buffer).digest('hex');
  const storageKey = `files/${sha256.slice(0, 2)}/${sha256}`;
  await deps.files.put(storageKey, input.file.buffer, CONTENT_TYPES[kind]);
  const record = await deps.store.files.add({
    id: randomUUID(),
    directiveId: doc.id,
    role: input.role,
    filename: input.file.originalname.slice(0, 255),
    contentType: CONTENT_TYPES[kind],
    size: input.file.size,
    sha256,
    storageKey,
    uploadedBy: p.kind === 'unit' ? p.unitCode : null,
  });
  return fileView(record);
}

export async function listFiles(store: FilesStore, p: Principal, id: string) {
  const doc = await readableDocument(store, p, id);
  return { items: (await store.files.of(doc.id)).map(fileView) };
}

export async function downloadFile(deps: { store: FilesStore; files: FileStore }, p: Principal, id: string, fileId: string) {
  const doc = await readableDocument(deps.store, p, id);
  const record = await deps.store.files.find(doc.id, fileId);
  if (!record) throw new ApiError(404, 'NOT_FOUND', `no file ${fileId} with directive ${id}`);
  const data = await deps.files.get(record.storageKey);
  if (!data) throw new ApiError(503, 'FILE_STORE_UNAVAILABLE', 'the file store does not have this file now; retry later');
  return { data, filename: record.filename, contentType: record.contentType };
}
