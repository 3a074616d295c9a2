/**
 * Dates and periods as Vietnamese administrative documents write them: "ngày 05 tháng 02
 * năm 2024", "08/12/2020", "Quý I/2021", "trong năm 2021", "hằng năm", "định kỳ 6 tháng".
 * Pure: a date is answered as YYYY-MM-DD only when it exists on the calendar.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** YYYY-MM-DD, or undefined when the day does not exist (31/4, 29/2/2021). */
export function isoDate(year: number, month: number, day: number): string | undefined {
  if (!(year >= 1900 && year <= 2200 && month >= 1 && month <= 12 && day >= 1)) return undefined;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= last ? `${year}-${pad(month)}-${pad(day)}` : undefined;
}

/** The last day of a month. */
const endOfMonth = (year: number, month: number) => isoDate(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate())!;

/** "08/12/2020", "8-12-2020", "8.12.2020" anywhere in the text: the first one. */
export const NUMERIC_DATE = /(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})/;

/** The first numeric date of the text as YYYY-MM-DD (undefined when none, or not a day). */
export function numericDate(text: string): string | undefined {
  const m = NUMERIC_DATE.exec(text);
  return m ? isoDate(Number(m[3]), Number(m[2]), Number(m[1])) : undefined;
}

/** "ngày 05 tháng 02 năm 2024" with any part possibly blank (a draft). */
export const WORDED_DATE = /ngày[\s.…_]{0,20}(\d{0,2})[\s.…_]{0,20}tháng[\s.…_]{0,20}(\d{0,2})[\s.…_]{0,20}năm[\s.…_]{0,20}(\d{0,4})/iu;

const ROMAN: Record<string, number> = { I: 1, II: 2, III: 3, IV: 4 };

/** What a deadline phrase says: a date, a recurrence, both, or neither. */
export interface Deadline {
  dueAt?: string;
  recurrence?: string;
  /** How sure: an explicit day is surer than the end of a quarter. */
  confidence: number;
}

const RECURRENCES: Array<[RegExp, string]> = [
  [/(?:hằng|hàng)\s+tháng|định kỳ\s+(?:01|1)\s+tháng/iu, 'P1M'],
  [/(?:hằng|hàng)\s+quý|định kỳ\s+(?:03|3)\s+tháng/iu, 'P3M'],
  [/định kỳ\s+(?:06|6)\s+tháng|(?:hằng|hàng)\s+6\s+tháng|6 tháng một lần/iu, 'P6M'],
  [/(?:hằng|hàng)\s+năm|định kỳ\s+(?:01|1)?\s*năm|năm một lần/iu, 'P1Y'],
  [/(?:hằng|hàng)\s+tuần/iu, 'P1W'],
];

/**
 * Reads a deadline phrase: "trước ngày 15/9/2021", "Quý I/2021", "trong năm 2021", "tháng
 * 6/2024", "hằng năm" and their combinations ("Quý I/2021 xây dựng kế hoạch; triển khai
 * hằng năm"). Relative phrases ("trong 05 ngày làm việc") answer nothing here: they depend
 * on a day the document does not give, so the caller lists them for a person.
 */
export function readDeadline(text: string): Deadline {
  const out: Deadline = { confidence: 0 };
  for (const [re, recurrence] of RECURRENCES) {
    if (re.test(text)) {
      out.recurrence = recurrence;
      out.confidence = 0.8;
      break;
    }
  }
  // "từ ngày 01/10/2023 đến hết ngày 10/10/2023": the end of the span is the deadline.
  const until = /đến(?:\s+hết)?\s+ngày\s+(\d{1,2}[/.-]\d{1,2}[/.-]\d{4})/iu.exec(text);
  if (until) {
    const end = numericDate(until[1]!);
    if (end) return { ...out, dueAt: end, confidence: 0.9 };
  }
  const worded = /ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu.exec(text);
  const day = numericDate(text) ?? (worded ? isoDate(Number(worded[3]), Number(worded[2]), Number(worded[1])) : undefined);
  if (day) return { ...out, dueAt: day, confidence: 0.95 };
  const quarter = /quý\s+(IV|III|II|I|[1-4])\s*(?:\/|năm)\s*(\d{4})/iu.exec(text);
  if (quarter) {
    const q = ROMAN[quarter[1]!.toUpperCase()] ?? Number(quarter[1]);
    return { ...out, dueAt: endOfMonth(Number(quarter[2]), q * 3), confidence: 0.75 };
  }
  const month = /tháng\s+(\d{1,2})\s*(?:\/|năm)\s*(\d{4})/iu.exec(text);
  if (month && Number(month[1]) >= 1 && Number(month[1]) <= 12) {
    return { ...out, dueAt: endOfMonth(Number(month[2]), Number(month[1])), confidence: 0.75 };
  }
  const year = /(?:trong|cuối|hết)\s+năm\s+(\d{4})/iu.exec(text);
  if (year) return { ...out, dueAt: endOfMonth(Number(year[1]), 12), confidence: 0.7 };
  return out;
}

/** A relative deadline ("trong 05 ngày làm việc", "sau 30 ngày"), which needs a person. */
export const RELATIVE_DEADLINE = /(?:trong|sau)\s+(?:vòng\s+)?\d{1,3}\s+ngày(?:\s+làm việc)?/iu;
