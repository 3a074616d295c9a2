/**
 * The text of a document as logical lines, each knowing the source lines it came from.
 * Text pasted from Word, exported from a PDF or written in Markdown carries artefacts
 * (non-breaking spaces, zero-width characters, `**bold**`, `# headings`, escaped
 * punctuation) and lines broken in the middle of a sentence; the parser reads the
 * cleaned, re-joined lines and reports positions in the original text.
 */

/** One logical line: cleaned text, and the 1-based source lines it spans. */
export interface LogicalLine {
  text: string;
  /** First source line (1-based). */
  line: number;
  /** Last source line it took text from (a broken line re-joined spans several). */
  endLine: number;
}

/** Removes Markdown and Word artefacts and normalizes spaces; keeps the words. */
export function cleanLine(raw: string): string {
  return (
    raw
      .normalize('NFC')
      // Zero-width characters, soft hyphens, byte-order marks, form feeds.
      .replace(/[\u200b-\u200d\u2060\ufeff\u00ad\f\v]/g, '')
      // Non-breaking and other exotic spaces, tabs.
      .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]/g, ' ')
      // Typographic quotes and dashes as plain ones.
      .replace(/[\u201c\u201d\u201e]/g, '"')
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u2013\u2014\u2212]/g, '-')
      // Markdown: headings, block quotes, emphasis, escapes, table pipes at the edges.
      .replace(/^\s*#{1,6}\s+/, '')
      .replace(/^\s*>\s?/, '')
      .replace(/\*\*|__/g, '')
      .replace(/(^|\s)\*(\S)/g, '$1$2')
      .replace(/(\S)\*(\s|$)/g, '$1$2')
      .replace(/\\([.\-+*_#()[\]!])/g, '$1')

      // Word's list bullets.
      .replace(/^\s*[•·▪●◦■□➢➤✓]\s*/, '- ')
      .replace(/ {2,}/g, ' ')
      .trim()
      // Table pipes at the edges (after spaces are collapsed: a pattern with \s* on both
      // sides of a long run of spaces would take quadratic time).
      .replace(/^\| ?| ?\|$/g, '')
  );
}

/** The letters Vietnamese writes in upper case, for "is this line in capitals". */
const LOWER = /\p{Ll}/u;
const UPPER = /\p{Lu}/u;

/** A line in capitals (a heading, an issuer's name, a kind): no lower-case letter and at least one capital. */
export const isCapitals = (text: string): boolean => UPPER.test(text) && !LOWER.test(text);

/** Lines that start something new: an item, a heading, a labelled part of the layout. */
const STARTS_ITEM = /^(?:[-+]\s|\d+(?:\.\d+)*[.)]\s|[IVXLC]+\.\s|[a-zđ]\)\s|\(\d+\)\s)/u;
const LABEL =
  /^(?:Số\s*:|ngày[\s.…_\d]{0,30}tháng|Kính gửi|Nơi nhận|Căn cứ|Thực hiện|Lưu\s*:|V\/v|Về việc|Thời gian|Thời hạn|Kinh phí|Đơn vị|Cơ quan|KT\.|TM\.|TL\.|TUQ\.|Q\.)/u;

const endsSentence = (text: string): boolean => /[.;:!?]$|\.\/\.$/.test(text);

/**
 * Whether `next` continues `prev` (a line broken mid-sentence), so they are joined: it
 * starts in lower case after an unfinished sentence, or a long unfinished line is followed
 * by one that opens nothing new. A "- " followed by a lower-case word is a hyphenated
 * phrase cut at its dash ("chính trị" / "- xã hội"), not an item.
 */
function continues(prev: string, next: string): boolean {
  if (isCapitals(prev) || isCapitals(next) || LABEL.test(next)) return false;
  if (/^-\s\p{Ll}/u.test(next)) return !endsSentence(prev);
  if (STARTS_ITEM.test(next)) return false;
  if (/^\p{Ll}/u.test(next)) return !/[.!?]$/.test(prev);
  return !endsSentence(prev) && prev.length > 50;
}

/**
 * Splits, cleans and re-joins the text. Blank lines do not end a paragraph by themselves:
 * text exported from PDF or pasted from a two-column layout puts one after every line.
 */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let last: LogicalLine | undefined;
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const cleaned = cleanLine(raw);
    if (cleaned === '' || /^[-_=*]{3,}$/.test(cleaned)) {
      return;
    }
    if (last && continues(last.text, cleaned)) {
      last.text = `${last.text} ${cleaned}`;
      last.endLine = i + 1;
    } else {
      last = { text: cleaned, line: i + 1, endLine: i + 1 };
      out.push(last);
    }
  });
  return out;
}
