/**
 * Builds .docx and .pdf files from a document's text in the tests, so that no binary is
 * committed: docx paragraphs (one per line, as Word keeps them) and a PDF with a text layer
 * in DejaVu Sans (Vietnamese glyphs), one line per text line, new pages as needed.
 */
import fontkit from '@pdf-lib/fontkit';
import { Document, Packer, Paragraph } from 'docx';
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';

export async function docxFrom(text: string): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: text.split('\n').map((line) => new Paragraph(line)) }] });
  return Packer.toBuffer(doc);
}

export async function pdfFrom(text: string): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const font = await pdf.embedFont(readFileSync(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')), { subset: true });
  let page = pdf.addPage([595, 842]);
  let y = 800;
  for (const line of text.split('\n')) {
    if (y < 40) {
      page = pdf.addPage([595, 842]);
      y = 800;
    }
    // Long lines are cut as a PDF lays them out: the parser re-joins them.
    const chunks = line.match(/.{1,90}(\s|$)/gu) ?? [''];
    for (const chunk of chunks) {
      page.drawText(chunk.trimEnd(), { x: 40, y, size: 9, font });
      y -= 12;
    }
  }
  return Buffer.from(await pdf.save());
}

/** A PDF whose only page holds a drawn rectangle and no text: what a scanner produces, as far as text goes. */
export async function scannedPdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([595, 842]);
  page.drawRectangle({ x: 40, y: 40, width: 500, height: 700 });
  return Buffer.from(await pdf.save());
}
