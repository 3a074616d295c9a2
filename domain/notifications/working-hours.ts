/**
 * When a message to people may go out: the first moment of office hours on the policy's
 * calendar at or after it fired. Deadlines never move; only the e-mail waits.
 *
 * On `'vn-working-days'` office hours are a window of local time in Vietnam (UTC+7, no
 * daylight saving) on working days (weekends, public holidays and Tết excluded: see
 * ../calendar/vn-holidays). On `'none'` (plain time) there are no office hours: a message goes
 * out when it fires. Pure: "now" is passed in.
 */
import type { CalendarName } from '../calendar/calendar';
import { VN_UTC_OFFSET_MS, isWorkingDay } from '../calendar/vn-holidays';

/** Office hours as minutes after local midnight: [start, end). */
export interface OfficeHours {
  startMinute: number;
  endMinute: number;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** "07:30-17:00" → minutes; throws RangeError for anything else. */
export function parseOfficeHours(text: string): OfficeHours {
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) throw new RangeError(`office hours must look like 07:30-17:00, not ${JSON.stringify(text)}`);
  const startMinute = Number(m[1]) * 60 + Number(m[2]);
  const endMinute = Number(m[3]) * 60 + Number(m[4]);
  if (endMinute <= startMinute || endMinute > 24 * 60) throw new RangeError(`office hours ${text} end before they start`);
  return { startMinute, endMinute };
}

/**
 * `at` itself when it lies within office hours on a working day of `calendar`, else the start
 * of the next office hours (a Saturday 22:00 becomes Monday 07:30, or later after a holiday).
 *
 * @throws RangeError for a year outside the calendar data.
 */
export function nextOfficeMoment(at: Date, calendar: CalendarName, hours: OfficeHours): Date {
  if (calendar === 'none') return new Date(at.getTime());
  const wall = at.getTime() + VN_UTC_OFFSET_MS;
  let day = Math.floor(wall / DAY_MS) * DAY_MS;
  const minute = (wall - day) / MINUTE_MS;
  const today = new Date(day).toISOString().slice(0, 10);
  if (isWorkingDay(today) && minute >= hours.startMinute && minute < hours.endMinute) return new Date(at.getTime());
  // Before today's opening on a working day: today's; otherwise the next working day's.
  if (!(isWorkingDay(today) && minute < hours.startMinute)) {
    do day += DAY_MS;
    while (!isWorkingDay(new Date(day).toISOString().slice(0, 10)));
  }
  return new Date(day + hours.startMinute * MINUTE_MS - VN_UTC_OFFSET_MS);
}
