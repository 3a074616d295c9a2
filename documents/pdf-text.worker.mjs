// Reads a PDF's text layer with unpdf (pdf.js), one string per page. Run as a worker
// thread by documents/extract-text.ts: pdf.js is ESM-only and CPU-bound.
import { parentPort, workerData } from 'node:worker_threads';
import { extractText, getDocumentProxy } from 'unpdf';

const pdf = await getDocumentProxy(new Uint8Array(workerData));
const { totalPages, text } = await extractText(pdf, { mergePages: false });
parentPort.postMessage({ pages: totalPages, text });
