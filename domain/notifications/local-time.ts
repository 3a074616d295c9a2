/** Instants as people in Vietnam read them: local time (Asia/Ho_Chi_Minh, UTC+7, no DST). */
import { VN_UTC_OFFSET_MS } from '../calendar/vn-holidays';

const two = (n: number) => String(n).padStart(2, '0');

/** "17:00" and "25/11/2026" of an instant, in Vietnam. */
export function vnLocalParts(at: Date | string): { time: string; date: string } {
  const wall = new Date(new Date(at).getTime() + VN_UTC_OFFSET_MS);
  return {
    time: `${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`,
    date: `${two(wall.getUTCDate())}/${two(wall.getUTCMonth() + 1)}/${wall.getUTCFullYear()}`,
  };
}

/** "2026-11-25" (a calendar date, as a digest names its day) as "25/11/2026". */
export function vnDate(isoDate: string): string {
  const [y, m, d] = isoDate.split('-');
  return `${d}/${m}/${y}`;
}
