/**
 * The top of a document (Decree 30/2020, Appendix I): the issuing body, "Số: 145/KH-UBND",
 * the place and date, the kind in capitals (or "V/v …" under the number for a letter) and
 * the subject. A draft leaves the number and the day blank; those are reported, not guessed.
 */
import { WORDED_DATE, isoDate, numericDate } from './dates';
import { isCapitals, type LogicalLine } from './lines';
import type { Field, HeaderFields, Unresolved } from './types';

/** Named kinds as they are written in capitals, and how the API names them. */
const KINDS: Array<[RegExp, string]> = [
  [/^KẾ HOẠCH$/u, 'Kế hoạch'],
  [/^CHỈ THỊ$/u, 'Chỉ thị'],
  [/^QUYẾT ĐỊNH$/u, 'Quyết định'],
  [/^THÔNG BÁO$/u, 'Thông báo'],
  [/^HƯỚNG DẪN$/u, 'Hướng dẫn'],
  [/^KẾT LUẬN$/u, 'Kết luận'],
  [/^NGHỊ QUYẾT$/u, 'Nghị quyết'],
  [/^CÔNG ĐIỆN$/u, 'Công điện'],
  [/^CHƯƠNG TRÌNH(?: HÀNH ĐỘNG)?$/u, 'Chương trình'],
  [/^BÁO CÁO$/u, 'Báo cáo'],
  [/^CÔNG VĂN$/u, 'Công văn'],
];

/** Lines of the national motto, not the issuer. */
const MOTTO = /^(?:CỘNG H[OÒ]À XÃ HỘI CHỦ NGHĨA VIỆT NAM|ĐẢNG CỘNG SẢN VIỆT NAM)/u;
const SLOGAN = /Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc/iu;

/** Where the header ends: the body starts at the first of these. */
const BODY_START = /^(?:Căn cứ|Thực hiện|Kính gửi|Để|Nhằm|Theo|Trong|Ngày|Qua|Tiếp theo|I\.|1\.)/u;

const capitalize = (s: string): string => s.charAt(0).toLocaleUpperCase('vi') + s.slice(1);

const field = <T>(value: T, l: LogicalLine, confidence: number): Field<T> => ({ value, line: l.line, endLine: l.endLine, confidence });

export interface Header extends HeaderFields {
  /** The index of the first body line. */
  bodyStart: number;
  unresolved: Unresolved[];
}

/** "Số: 145/KH-UBND", "Số: /KH-UBND" (a draft), "Số:" (blank). */
function readNumber(l: LogicalLine, h: Header): void {
  const m = /Số\s*:\s*([^\s]*)\s*(?:\/\s*([\p{L}\d.&-]+(?:\/[\p{L}\d.&-]+)?))?/u.exec(l.text);
  if (!m) return;
  const written = `${m[1] ?? ''}${m[2] ? `/${m[2]}` : ''}`.replace(/\s+/g, '').replace(/^[.…_]+/u, '');
  // The Party's style puts a dash after the number ("70-KL/TW"), the State's a slash.
  const party = /^(\d+[a-z]?)-(\p{L}.*)$/u.exec(written);
  const [, digits, notation] = party ?? /^(\d+[a-z]?)?\/?(.*)$/u.exec(written)!;
  if (notation) h.notation = field(notation, l, 0.95);
  if (digits && notation) h.number = field(party ? written : `${digits}/${notation}`, l, 0.98);
  else h.unresolved.push({ field: 'number', line: l.line, message: 'the number is blank (a draft): fill it in', text: l.text });
}

/** "Hà Nội, ngày 05 tháng 02 năm 2024", with any part blank in a draft. */
function readPlaceDate(l: LogicalLine, h: Header): void {
  const m = WORDED_DATE.exec(l.text);
  if (!m) return;
  const place = l.text.slice(0, m.index).replace(/[,\s]+$/u, '').trim();
  if (place) h.place = field(place, l, 0.95);
  const [, d, mo, y] = m;
  const day = d && mo && y ? isoDate(Number(y), Number(mo), Number(d)) : undefined;
  if (day) h.issuedAt = field(day, l, d!.length === 2 && mo!.length >= 1 ? 0.98 : 0.9);
  else if (d && mo && y) h.unresolved.push({ field: 'issuedAt', line: l.line, message: `no such day: ${d}/${mo}/${y}`, text: l.text });
  else h.unresolved.push({ field: 'issuedAt', line: l.line, message: 'the date is incomplete (a draft): fill in the day of signing', text: l.text });
}

/**
 * Reads the header from the logical lines. The title of a named kind is the text after
 * its capitals up to the body; a letter's subject is its "V/v" line.
 */
export function readHeader(lines: LogicalLine[]): Header {
  const h: Header = { bodyStart: 0, unresolved: [] };
  let i = 0;
  const issuerLines: LogicalLine[] = [];
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (/^Số\s*:/u.test(l.text) && !h.number && !h.notation) {
      readNumber(l, h);
      continue;
    }
    if (!h.issuedAt && WORDED_DATE.test(l.text) && /^(?:[\p{Lu}][\p{L} .'-]*,\s*)?ngày/u.test(l.text)) {
      readPlaceDate(l, h);
      continue;
    }
    if (!h.issuedAt && !h.place && /^[\p{Lu}][\p{L} .'-]*,\s*\d{1,2}\/\d{1,2}\/\d{4}$/u.test(l.text)) {
      const day = numericDate(l.text);
      if (day) h.issuedAt = field(day, l, 0.85);
      h.place = field(l.text.split(',')[0]!.trim(), l, 0.85);
      continue;
    }
    if (MOTTO.test(l.text) || SLOGAN.test(l.text)) continue;
    const kind = KINDS.find(([re]) => re.test(l.text.replace(/\s+/g, ' ')));
    if (kind && !h.kind) {
      h.kind = field(kind[1], l, 0.97);
      const next = lines[i + 1];
      // The subject follows the kind (a decision's "Về việc …" too), up to the body.
      if (next && !BODY_START.test(next.text) && !/^Kính gửi/u.test(next.text)) {
        h.title = { value: capitalize(next.text.replace(/^(?:V\/v|Về việc)\s*/iu, '')), line: next.line, endLine: next.endLine, confidence: 0.9 };
        i++;
      }
      continue;
    }
    const vv = /^(?:V\/v|V\/V|Về việc)\s*:?\s*(.+)$/u.exec(l.text);
    if (vv && !h.title) {
      h.title = field(capitalize(vv[1]!.trim()), l, 0.95);
      if (!h.kind) h.kind = field('Công văn', l, 0.85);
      continue;
    }
    if (h.number || h.notation || h.issuedAt || h.kind) {
      if (BODY_START.test(l.text) || !isCapitals(l.text)) break;
    } else if (isCapitals(l.text)) issuerLines.push(l);
  }
  h.bodyStart = i;
  // The issuer is the last line in capitals above the number (its superior is above it).
  const issuer = issuerLines.at(-1);
  if (issuer) h.issuerName = field(issuer.text, issuer, 0.8);
  if (!h.number && !h.unresolved.some((u) => u.field === 'number')) h.unresolved.push({ field: 'number', message: 'no "Số:" line found: fill in the number and notation' });
  if (!h.issuedAt && !h.unresolved.some((u) => u.field === 'issuedAt')) h.unresolved.push({ field: 'issuedAt', message: 'no place and date line found: fill in the day of signing' });
  if (!h.kind) h.unresolved.push({ field: 'kind', message: 'no kind in capitals and no "V/v" line: choose the kind' });
  if (!h.title) h.unresolved.push({ field: 'title', message: 'no subject found: write the title' });
  return h;
}
