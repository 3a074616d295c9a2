/**
 * The window of a unit's morning digest, on the Vietnamese working calendar: what is
 * overdue, due today, and due within the next working days. Pure: the digest activity and
 * its tests compute the same window from the same instant.
 */
import { isWorkingDay, toVnLocalDate, VN_UTC_OFFSET_MS } from './calendar/vn-holidays';

export interface DigestWindow {
  /** The local date of the digest (`YYYY-MM-DD`, Vietnam). */
  date: string;
  /** Digests go out on working days only (a working Saturday included, a holiday not). */
  workingDay: boolean;
  /** Deadlines before this are overdue. */
  now: Date;
  /** The end of the local day: deadlines before it and not overdue are due today. */
  endOfToday: Date;
  /** The end of the `dueSoonDays`-th working day after today: deadlines before it are due soon. */
  until: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The digest window at instant `at`, looking `dueSoonDays` working days ahead. */
export function digestWindow(at: Date, dueSoonDays: number): DigestWindow {
  const date = toVnLocalDate(at);
  const endOf = (localDate: string) => new Date(Date.parse(`${localDate}T00:00:00Z`) + DAY_MS - VN_UTC_OFFSET_MS);
  let last = date;
  for (let found = 0; found < dueSoonDays; ) {
    last = new Date(Date.parse(`${last}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    if (isWorkingDay(last)) found += 1;
  }
  return { date, workingDay: isWorkingDay(date), now: at, endOfToday: endOf(date), until: endOf(last) };
}
