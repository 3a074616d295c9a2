/**
 * Reads a document (pasted text or an uploaded file) into a draft directive of the issuing
 * unit: the file's kind is checked by content, its text extracted, and the pure parser
 * (domain/documents) matches its names against the issuer's subtree in the read model.
 * Nothing is issued: the caller reviews the draft and posts it to /directives.
 */
import { parseDocument } from '../../domain/documents/parse-document';
import type { ParsedDocument } from '../../domain/documents/types';
import { extractText } from '../../documents/extract-text';
import { DocumentRejected, kindOf, type FileKind } from '../../documents/file-kind';
import { importEdxml } from '../../documents/edxml';
import type { Store } from '../../read-model/repositories';
import type { Principal } from '../auth';
import { ApiError } from '../errors';
import { actorFor, requireVisibleUnit } from '../permissions';
import type { UploadedFile } from '../route-registry';

export interface ParseDocumentRequest {
  issuerCode: string;
  text?: string;
  file?: UploadedFile;
}

export interface ParseDocumentResult extends ParsedDocument {
  source: { kind: FileKind | 'text'; filename?: string; text: string };
}

async function textOf(file: UploadedFile): Promise<{ kind: FileKind; text: string }> {
  const kind = kindOf(file.buffer, file.originalname);
  if (kind === 'edxml') return { kind, text: importEdxml(file.buffer.toString('utf8')).text };
  return { kind, text: await extractText(file.buffer, kind) };
}

export async function parseDocumentFor(
  store: Pick<Store, 'units'>,
  p: Principal,
  req: ParseDocumentRequest,
): Promise<ParseDocumentResult> {
  const issuerCode = actorFor(p, req.issuerCode, 'draft');
  const issuer = await store.units.withPath(issuerCode);
  requireVisibleUnit(p, issuerCode, issuer?.path ?? null);
  if (!req.file && !req.text?.trim()) {
    throw new ApiError(400, 'VALIDATION_ERROR', 'invalid request', [
      { code: 'custom', path: ['text'], message: 'send the text, or a file in the multipart field "file"' },
    ]);
  }
  let source: ParseDocumentResult['source'];
  try {
    source = req.file ? { ...(await textOf(req.file)), filename: req.file.originalname } : { kind: 'text', text: req.text! };
  } catch (err) {
    if (err instanceof DocumentRejected) throw new ApiError(err.status, err.code, err.message);
    throw err;
  }
  if (!source.text.trim()) throw new ApiError(422, 'NO_TEXT', 'the document holds no text');
  const units = await store.units.subtree(issuer!.path);
  const self = units.find((u) => u.code === issuerCode)!;
  return { ...parseDocument({ text: source.text, issuer: self, units }), source };
}
