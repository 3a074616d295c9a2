/**
 * Dates as documents carry them. A document is dated by the day ("ngày 22 tháng 11 năm
 * 2026") and its deadlines are days too ("trước ngày 15/12"), so the API takes a plain
 * `YYYY-MM-DD` wherever it takes an instant, and reads it in Vietnam (Asia/Ho_Chi_Minh,
 * UTC+07:00 all year, no DST since 1975):
 * - a date a document was issued on is the **start** of that day, 00:00 +07:00;
 * - a date something is due by is the **end** of that day, 23:59:59 +07:00, so "due on
 *   15/12" still accepts what arrives on the afternoon of 15/12.
 * A datetime (with `Z` or an offset) is taken as it is.
 */

/** Vietnam's UTC offset as ISO-8601 writes it. */
export const VN_OFFSET = '+07:00';

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Whether `value` is a plain `YYYY-MM-DD` (shape only; the schema checks the calendar). */
export function isPlainDate(value: string): boolean {
  return PLAIN_DATE.test(value);
}

/** A plain date as the start of that day in Vietnam; a datetime unchanged. */
export function startOfVnDay(value: string): string {
  return isPlainDate(value) ? `${value}T00:00:00${VN_OFFSET}` : value;
}

/** A plain date as the end of that day in Vietnam (23:59:59); a datetime unchanged. */
export function endOfVnDay(value: string): string {
  return isPlainDate(value) ? `${value}T23:59:59${VN_OFFSET}` : value;
}
