/**
 * The text of an uploaded document: a Word file through mammoth, a PDF's text layer
 * through unpdf (pdf.js) in a worker thread, plain text as it is. A PDF is read off the
 * API's event loop, with a time limit, because a hostile or huge one can keep pdf.js busy.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import mammoth from 'mammoth';
import { DocumentRejected, type FileKind } from './file-kind';

/** Below this many letters per page a PDF is a scan: there is nothing to read without OCR. */
const MIN_LETTERS_PER_PAGE = 20;
const PDF_TIMEOUT_MS = 30_000;

interface PdfText {
  pages: number;
  text: string[];
}

function pdfText(buf: Buffer): Promise<PdfText> {
  return new Promise((resolve, reject) => {
    // A plain ES module: pdf.js is ESM-only, and a worker loads it outside any transpiler.
    const worker = new Worker(path.join(__dirname, 'pdf-text.worker.mjs'), { workerData: buf });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new DocumentRejected(422, 'UNREADABLE_FILE', `the PDF could not be read within ${PDF_TIMEOUT_MS / 1000} s`));
    }, PDF_TIMEOUT_MS);
    worker.once('message', (m: PdfText) => {
      clearTimeout(timer);
      resolve(m);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(new DocumentRejected(422, 'UNREADABLE_FILE', `the PDF could not be read: ${err.message}`));
    });
  });
}

/** The document's text; throws DocumentRejected for a file with none. */
export async function extractText(buf: Buffer, kind: Exclude<FileKind, 'edxml'>): Promise<string> {
  if (kind === 'txt') return buf.toString('utf8').replace(/^\ufeff/, '');
  if (kind === 'docx') {
    try {
      return (await mammoth.extractRawText({ buffer: buf })).value;
    } catch (err) {
      throw new DocumentRejected(422, 'UNREADABLE_FILE', `the Word document could not be read: ${(err as Error).message}`);
    }
  }
  const { pages, text } = await pdfText(buf);
  const letters = text.join('').replace(/[^\p{L}]/gu, '').length;
  if (letters < MIN_LETTERS_PER_PAGE * Math.max(1, pages)) {
    throw new DocumentRejected(422, 'NO_TEXT_LAYER', 'the PDF has no text layer (a scan): run it through OCR, or paste the text');
  }
  return text.join('\n');
}
