/**
 * What an uploaded file is, by its content: a name ending in ".pdf" proves nothing. The
 * four kinds the parser reads have unmistakable starts (PDF's "%PDF-", a Word document's
 * ZIP holding "word/document.xml", an edXML envelope's XML), and plain text must decode as
 * UTF-8 without NUL bytes. A small sniffer rather than the `file-type` package: its current
 * versions are ESM-only, which this CommonJS build cannot load.
 */

export type FileKind = 'txt' | 'docx' | 'pdf' | 'edxml';

/** A file refused for what it is; `status` is the HTTP status it deserves. */
export class DocumentRejected extends Error {
  constructor(
    readonly status: 400 | 413 | 415 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentRejected';
  }
}

const EXTENSIONS: Record<string, FileKind> = { '.txt': 'txt', '.md': 'txt', '.docx': 'docx', '.pdf': 'pdf', '.edxml': 'edxml', '.xml': 'edxml' };

const startsWith = (buf: Buffer, ascii: string): boolean => buf.subarray(0, ascii.length).toString('latin1') === ascii;

/** The kind the content shows, or undefined when it is none of the four. */
export function sniff(buf: Buffer): FileKind | undefined {
  if (startsWith(buf, '%PDF-')) return 'pdf';
  // A ZIP's local headers name its entries in clear; a .docx holds word/document.xml.
  if (startsWith(buf, 'PK\u0003\u0004')) return buf.includes('word/document.xml', 0, 'latin1') ? 'docx' : undefined;
  if (buf.includes(0)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return undefined;
  }
  const head = text.replace(/^\ufeff/, '').trimStart();
  if (head.startsWith('<')) return /edXMLEnvelope/.test(head.slice(0, 4096)) ? 'edxml' : undefined;
  return 'txt';
}

/** Checks an upload's size, name and content; answers its kind or throws DocumentRejected. */
export function kindOf(buf: Buffer, filename: string): FileKind {
  if (buf.length === 0) throw new DocumentRejected(400, 'EMPTY_FILE', 'the file is empty');
  const dot = filename.lastIndexOf('.');
  const declared = dot >= 0 ? EXTENSIONS[filename.slice(dot).toLowerCase()] : undefined;
  if (dot >= 0 && !declared) {
    throw new DocumentRejected(415, 'UNSUPPORTED_FILE', `files named ${filename.slice(dot)} are not read: send .txt, .docx, .pdf or .edxml`);
  }
  const actual = sniff(buf);
  if (!actual) throw new DocumentRejected(415, 'UNSUPPORTED_FILE', `${filename} is not text, a Word document (.docx), a PDF or an edXML package`);
  if (declared && declared !== actual) {
    throw new DocumentRejected(415, 'CONTENT_MISMATCH', `${filename} is named as ${declared} but its content is ${actual}`);
  }
  return actual;
}
