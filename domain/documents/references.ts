/**
 * The documents a text cites: "Hướng dẫn số 164-HD/BTGTW ngày 08/12/2020", "Văn bản số
 * 523/TTCS-TT ngày 29/7/2021", "Kết luận số 70-KL/TW". Those named in the "Căn cứ" /
 * "Thực hiện" preamble or the subject are what the document is based on.
 */
import { isoDate, numericDate } from './dates';
import type { LogicalLine } from './lines';
import type { Field, Reference } from './types';

const KIND =
  '(Văn bản|Công văn|Kết luận|Quyết định|Chỉ thị|Nghị quyết|Hướng dẫn|Kế hoạch|Thông tư liên tịch|Thông tư|Nghị định|Thông báo|Chương trình hành động|Chương trình|Công điện|Báo cáo|Luật)';
const NUMBER = '(\\d+[a-z]?(?:[/-][\\p{L}\\d.&]*\\p{L}[\\p{L}\\d.&]*|[/-]\\d{4})+)';
const DATE = '(?:,?\\s+ngày\\s+(\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{4}|\\d{1,2}\\s+tháng\\s+\\d{1,2}\\s+năm\\s+\\d{4}))?';
const REFERENCE = new RegExp(`${KIND}\\s+(?:số\\s+)?${NUMBER}${DATE}`, 'gu');

/** Lines whose references are the document's basis. */
const BASIS = /^(?:Căn cứ|Thực hiện|Triển khai|Theo|Tiếp theo|Thi hành)/u;

function dateOf(written: string | undefined): string | undefined {
  if (!written) return undefined;
  const worded = /(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/u.exec(written);
  return worded ? isoDate(Number(worded[3]), Number(worded[2]), Number(worded[1])) : numericDate(written);
}

/**
 * Every numbered document cited, once each (the first mention's line; a date from any
 * mention), except the document's own number.
 */
export function readReferences(lines: LogicalLine[], basisLines: ReadonlySet<LogicalLine>, ownNumber?: string): Array<Field<Reference>> {
  const byNumber = new Map<string, Field<Reference>>();
  for (const l of lines) {
    const basis = basisLines.has(l) || BASIS.test(l.text);
    for (const m of l.text.matchAll(REFERENCE)) {
      const number = m[2]!.replace(/[.]+$/u, '');
      if (number === ownNumber) continue;
      const date = dateOf(m[3]);
      const seen = byNumber.get(number);
      if (seen) {
        if (!seen.value.date && date) seen.value.date = date;
        if (basis && seen.value.role !== 'basis') seen.value.role = 'basis';
        continue;
      }
      const kind = m[1]! === 'Chương trình hành động' ? 'Chương trình' : m[1]!;
      byNumber.set(number, {
        value: { kind, number, ...(date ? { date } : {}), role: basis ? 'basis' : 'cited' },
        line: l.line,
        endLine: l.endLine,
        confidence: date ? 0.95 : 0.85,
      });
    }
  }
  return [...byNumber.values()];
}
