/**
 * Deadline arithmetic: an instant plus an ISO-8601 duration on a calendar.
 *
 * Pure functions of their arguments ("now" is always passed in) for activities and issue-time
 * code. Not for workflow code: the Vietnamese calendar loads `date-holidays` and JSON data, so
 * workflows receive absolute deadlines computed here.
 *
 * ### `'none'`: plain time, UTC
 * Years and months first, as calendar months on the UTC date, clamped to the end of a shorter
 * month (Jan 31 + P1M → Feb 28, or Feb 29 in a leap year; Feb 29 + P1Y → Feb 28), the time of
 * day kept. Years and months are added together as one number of months, so P1Y1M clamps once.
 * Then weeks (7 days), days (24 h) and H/M/S as exact elapsed time.
 *
 * ### `'vn-working-days'`: Vietnamese working days, local dates in Vietnam (UTC+7)
 * Applied in this order:
 * 1. Years and months: calendar months on the local date, clamped as above, local time of day
 *    kept. If there is no day/week part and the result falls on a non-working day, it moves
 *    to the same time on the next working day (as the Civil Code does when a period ends on
 *    a day off).
 * 2. Days and weeks count working days; **a week is 5 working days** (a working week, so that
 *    P2W is about two calendar weeks rather than three). The result is the same local time of
 *    day on the n-th working day after the start date: P2D from Friday 10:00 → Tuesday 10:00;
 *    P1D from Friday 10:00 → Monday 10:00. If the start date is not a working day, counting
 *    starts at 00:00 of the next working day: P1D from Saturday 15:00 → Tuesday 00:00 (all of
 *    Monday is given). Equivalently: working days count 24 h, other days 0 h, and the result
 *    is the latest instant with exactly n × 24 h of working time elapsed, so it always lies on
 *    a working day.
 * 3. Hours, minutes and seconds: plain elapsed time added last, not working time (so PT30S
 *    is 30 s on any day, which tests rely on; Friday 20:00 + PT12H is Saturday 08:00).
 * Working days: see `./vn-holidays` (weekends, public holidays with Tết, swapped Saturdays).
 */
import {
  type IsoDuration,
  InvalidDurationError,
  hasCalendarUnits,
  parseIsoDuration,
  timePartToMs,
} from './duration';
import { VN_UTC_OFFSET_MS, isWorkingDay } from './vn-holidays';

/** How durations are counted: the policy's `calendar` field (names defined by the contract). */
import type { CalendarName } from '../../contract/definitions';
export { CALENDAR_NAMES, type CalendarName } from '../../contract/definitions';

/** Working days in one `W` of a duration on the `'vn-working-days'` calendar. */
export const WORKING_DAYS_PER_WEEK = 5;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * `from` plus `duration` on `calendar` (rules in the module comment).
 *
 * @param from the start instant, e.g. the workflow's "now" passed to the activity.
 * @param duration an ISO-8601 string such as `P2D`, or an already parsed duration.
 * @param calendar defaults to `'none'`.
 * @returns a new Date; `from` is not modified.
 * @throws InvalidDurationError for a duration string that does not parse.
 * @throws RangeError for an invalid `from`, an unknown calendar, or a result outside the
 *   calendar data (years 1970–2199 on `'vn-working-days'`) or the Date range.
 */
export function addDuration(
  from: Date,
  duration: string | IsoDuration,
  calendar: CalendarName = 'none',
): Date {
  const d = toDuration(duration);
  const start = checkInstant(from, 'addDuration');
  switch (calendar) {
    case 'none': {
      const afterMonths = addMonthsClamped(start, totalMonths(d));
      return checkResult(afterMonths + (d.weeks * 7 + d.days) * DAY_MS + timePartToMs(d));
    }
    case 'vn-working-days': {
      // Wall-clock time in Vietnam held in a UTC timestamp, so getUTC* fields read local time.
      let wall = addMonthsClamped(start + VN_UTC_OFFSET_MS, totalMonths(d));
      const workingDays = d.weeks * WORKING_DAYS_PER_WEEK + d.days;
      if (workingDays > 0) {
        if (!isWorkingDay(localDate(wall))) wall = startOfDay(wall) + DAY_MS;
        wall = nextWorkingDay(wall, 0);
        for (let i = 0; i < workingDays; i += 1) wall = nextWorkingDay(wall, 1);
      } else if (hasCalendarUnits(d)) {
        wall = nextWorkingDay(wall, 0);
      }
      return checkResult(wall - VN_UTC_OFFSET_MS + timePartToMs(d));
    }
    default:
      throw new RangeError(`Unknown calendar ${JSON.stringify(calendar)}`);
  }
}

/**
 * `from` minus `duration` on `calendar`: the mirror of {@link addDuration}, for due dates
 * counted backwards (e.g. a lower level's report due `levelLeadTime` before its parent's).
 *
 * Applied in reverse order: H/M/S as plain time, then working days, then months (clamped).
 * On `'vn-working-days'`, n working days back is the same local time on the n-th working day
 * before; a start on a non-working day counts as the end (24:00) of the previous working day,
 * so P1D before Saturday 15:00 → Friday 00:00, P1D before Monday 10:00 → Friday 10:00.
 * A month result on a non-working day moves to the same time on the previous working day,
 * so the earlier deadline never moves later. Not an exact inverse of `addDuration` (month
 * clamping and the non-working-day rules lose information).
 *
 * @throws as {@link addDuration}.
 */
export function subtractDuration(
  from: Date,
  duration: string | IsoDuration,
  calendar: CalendarName = 'none',
): Date {
  const d = toDuration(duration);
  const start = checkInstant(from, 'subtractDuration');
  switch (calendar) {
    case 'none': {
      const beforeDays = start - timePartToMs(d) - (d.weeks * 7 + d.days) * DAY_MS;
      return checkResult(addMonthsClamped(beforeDays, -totalMonths(d)));
    }
    case 'vn-working-days': {
      let wall = start + VN_UTC_OFFSET_MS - timePartToMs(d);
      let workingDays = d.weeks * WORKING_DAYS_PER_WEEK + d.days;
      if (workingDays > 0) {
        if (!isWorkingDay(localDate(wall))) {
          // End of the previous working day; its 00:00 is one working day earlier.
          wall = nextWorkingDay(startOfDay(wall), -1);
          workingDays -= 1;
        }
        for (let i = 0; i < workingDays; i += 1) wall = nextWorkingDay(wall, -1);
      }
      if (hasCalendarUnits(d)) {
        wall = addMonthsClamped(wall, -totalMonths(d));
        wall = nextWorkingDay(wall, 0, -1);
      }
      return checkResult(wall - VN_UTC_OFFSET_MS);
    }
    default:
      throw new RangeError(`Unknown calendar ${JSON.stringify(calendar)}`);
  }
}

/**
 * `at` itself when it falls on a working day of `calendar`; otherwise the end (23:59:59 local
 * time) of the last working day before it. On `'none'` every day is a working day.
 *
 * For due dates that must lie on a working day and may move earlier but never later: a lower
 * level's report due date when its parent's falls on a weekend or during Tết. The end of the
 * day, rather than the same time of day, because a due date on a day off means "by the end of
 * the last working day before it" (the same reading `subtractDuration` gives a day off).
 *
 * @throws RangeError as {@link addDuration} (an invalid `at`, a year outside the calendar data).
 */
export function snapToWorkingDay(at: Date, calendar: CalendarName = 'none'): Date {
  const ms = checkInstant(at, 'snapToWorkingDay');
  switch (calendar) {
    case 'none':
      return new Date(ms);
    case 'vn-working-days': {
      const wall = ms + VN_UTC_OFFSET_MS;
      if (isWorkingDay(localDate(wall))) return new Date(ms);
      const endOfPreviousWorkingDay = nextWorkingDay(startOfDay(wall), -1) + DAY_MS - 1000;
      return checkResult(endOfPreviousWorkingDay - VN_UTC_OFFSET_MS);
    }
    default:
      throw new RangeError(`Unknown calendar ${JSON.stringify(calendar)}`);
  }
}

/**
 * True when `at` falls on a working day of `calendar` (always on `'none'`).
 *
 * @throws RangeError as {@link snapToWorkingDay}.
 */
export function isOnWorkingDay(at: Date, calendar: CalendarName = 'none'): boolean {
  return snapToWorkingDay(at, calendar).getTime() === checkInstant(at, 'isOnWorkingDay');
}

// ---- helpers; timestamps in ms, "wall" ones are Vietnam wall-clock time stored as UTC ----

function toDuration(duration: string | IsoDuration): IsoDuration {
  if (typeof duration === 'string') return parseIsoDuration(duration);
  // A hand-built object gets the same guarantees as a parsed string: a fractional day
  // would make the working-day count meaningless.
  const integerParts = ['years', 'months', 'weeks', 'days', 'hours', 'minutes'] as const;
  const ok =
    integerParts.every((k) => Number.isSafeInteger(duration[k]) && duration[k] >= 0) &&
    Number.isFinite(duration.seconds) &&
    duration.seconds >= 0;
  if (!ok) {
    throw new InvalidDurationError(
      JSON.stringify(duration),
      'components must be non-negative integers (seconds may have a fraction)',
    );
  }
  return duration;
}

function checkInstant(from: Date, fn: string): number {
  const ms = from instanceof Date ? from.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new RangeError(`${fn}: 'from' is not a valid Date`);
  return ms;
}

function checkResult(ms: number): Date {
  const result = new Date(ms);
  if (Number.isNaN(result.getTime())) throw new RangeError('Deadline is outside the range of Date');
  return result;
}

function totalMonths(d: IsoDuration): number {
  return d.years * 12 + d.months;
}

/** Adds calendar months to the UTC date of `ms`, clamping the day to the target month's end. */
function addMonthsClamped(ms: number, months: number): number {
  if (months === 0) return ms;
  const t = new Date(ms);
  const monthIndex = t.getUTCFullYear() * 12 + t.getUTCMonth() + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(t.getUTCDate(), lastDay);
  const timeOfDay = ms - Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month, day);
  return midnight.getTime() + timeOfDay;
}

function startOfDay(wall: number): number {
  return Math.floor(wall / DAY_MS) * DAY_MS;
}

function localDate(wall: number): string {
  return new Date(wall).toISOString().slice(0, 10);
}

/**
 * Moves `wall` by whole days, keeping the time of day: with `step` ±1, to the next (previous)
 * working day; with `step` 0, stays if already on a working day, else moves in `direction`.
 */
function nextWorkingDay(wall: number, step: -1 | 0 | 1, direction: -1 | 1 = 1): number {
  let t = wall + step * DAY_MS;
  const by = step === 0 ? direction : step;
  while (!isWorkingDay(localDate(t))) t += by * DAY_MS;
  return t;
}
