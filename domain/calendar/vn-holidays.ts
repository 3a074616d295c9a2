/**
 * Which local dates are working days for Vietnamese civil servants.
 *
 * Calendar data = built-in rules (Labour Code 2019, Art. 111–112) for any year, replaced
 * year by year by the decreed breaks in `vn-overrides.json`, which ops edit every year:
 * the real Tết break is set annually, with swapped working Saturdays, and no rule predicts it.
 *
 * Built-in rules for a year without an override:
 * - Tết Dương lịch: 1/1.
 * - Tết Nguyên đán: 5 days, the last day of the lunar year (29 or 30 tháng Chạp, whichever
 *   ends the month) through mùng 4 (4th day of the 1st lunar month).
 * - Giỗ Tổ Hùng Vương: 10/3 lunar.
 * - 30/4 and 1/5.
 * - Quốc khánh: 2/9 plus one adjacent day (2 days since 2021). The decree picks the day; the
 *   default takes the neighbour that is a weekday and, when both are, the one next to a
 *   weekend (Tue → Mon 1/9, Thu → Fri 3/9); on a Wednesday it takes Tue 1/9 (arbitrary).
 * - Compensatory days (nghỉ bù, Art. 111(3)): each of these days that falls on a Saturday or
 *   Sunday gives the next weekday that is not already a day off.
 * Lunar dates come from the `date-holidays` package (which itself lists only two days of Tết).
 * The rules are applied to every supported year, including years before 2021.
 *
 * All dates are local dates in Vietnam (Asia/Ho_Chi_Minh, UTC+7 all year: no DST since 1975).
 */
import Holidays from 'date-holidays';
import { z } from 'zod';
import overridesFile from './vn-overrides.json';

/** Vietnam's offset from UTC; constant, so no time-zone database is needed. */
export const VN_UTC_OFFSET_MS = 7 * 60 * 60 * 1000;

/** Years the built-in rules cover; outside them `isWorkingDay` throws rather than guess. */
export const VN_CALENDAR_MIN_YEAR = 1970;
export const VN_CALENDAR_MAX_YEAR = 2199;

/** One year of decreed holidays, as in `vn-overrides.json`. */
export interface VnYearOverride {
  year: number;
  /** Free text for ops: the decree, what is unverified. */
  note?: string;
  /** Every day off of the year, `YYYY-MM-DD`; weekend days inside a break are optional. */
  holidays: string[];
  /** Saturdays worked in exchange for a weekday off, `YYYY-MM-DD`. */
  workingSaturdays: string[];
}

/** The effective data of one year. */
export interface VnYearCalendar {
  year: number;
  source: 'override' | 'built-in';
  /** Sorted `YYYY-MM-DD`. */
  holidays: readonly string[];
  /** Sorted `YYYY-MM-DD`. */
  workingSaturdays: readonly string[];
}

/** A working-day calendar over a given set of overrides. */
export interface VnCalendar {
  /** True for a working day: Monday–Friday not a holiday, or a swapped working Saturday. */
  isWorkingDay(localDate: string): boolean;
  /** The effective holidays and working Saturdays of `year`. */
  yearCalendar(year: number): VnYearCalendar;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local date in Vietnam (`YYYY-MM-DD`) of an instant. */
export function toVnLocalDate(instant: Date): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError('toVnLocalDate: invalid Date');
  return new Date(ms + VN_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Validates the JSON shape of `vn-overrides.json` (or an equivalent object) and the dates in
 * it, so that an ops typo stops the worker at start-up instead of shifting deadlines.
 *
 * @throws Error listing every problem found.
 */
export function parseVnOverrides(json: unknown): VnYearOverride[] {
  const isoDate = z.string().regex(DATE_RE, 'must be YYYY-MM-DD');
  const schema = z.object({
    description: z.string().optional(),
    years: z.array(
      z.object({
        year: z.number().int().min(VN_CALENDAR_MIN_YEAR).max(VN_CALENDAR_MAX_YEAR),
        note: z.string().optional(),
        holidays: z.array(isoDate),
        workingSaturdays: z.array(isoDate),
      }),
    ),
  });
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new Error(`Invalid Vietnamese calendar overrides:\n  - ${problems.join('\n  - ')}`);
  }
  const problems: string[] = [];
  const seenYears = new Set<number>();
  for (const entry of parsed.data.years) {
    if (seenYears.has(entry.year)) problems.push(`${entry.year}: listed twice`);
    seenYears.add(entry.year);
    const holidays = new Set(entry.holidays);
    for (const d of [...entry.holidays, ...entry.workingSaturdays]) {
      const p = parseDate(d);
      if (!p) problems.push(`${entry.year}: ${d} is not a real date`);
      else if (p.year !== entry.year) problems.push(`${entry.year}: ${d} is not in ${entry.year}`);
    }
    for (const d of entry.workingSaturdays) {
      const p = parseDate(d);
      if (p && p.weekday !== 6)
        problems.push(`${entry.year}: working Saturday ${d} is not a Saturday`);
      if (holidays.has(d))
        problems.push(`${entry.year}: ${d} is both a holiday and a working Saturday`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Invalid Vietnamese calendar overrides:\n  - ${problems.join('\n  - ')}`);
  }
  return parsed.data.years;
}

/**
 * The days off that the built-in rules give for `year` (see the module comment), sorted,
 * weekdays and weekend days alike. Ignores the overrides.
 */
export function builtInVnHolidays(year: number): string[] {
  checkYear(year);
  const { tet, hungKings } = lunarHolidays(year);
  const tetDay = epochDay(tet);
  const days = new Set<string>([
    `${year}-01-01`,
    // Last day of the lunar year, then mùng 1 to mùng 4.
    ...[-1, 0, 1, 2, 3].map((offset) => formatEpochDay(tetDay + offset)),
    hungKings,
    `${year}-04-30`,
    `${year}-05-01`,
    `${year}-09-02`,
    nationalDayNeighbour(year),
  ]);
  // Chronological order so that a run of weekend holidays compensates onto consecutive
  // weekdays after the break (e.g. Tết Sat+Sun inside the 5 days → the two weekdays after).
  for (const d of [...days].sort()) {
    if (!isWeekend(epochDay(d))) continue;
    let c = epochDay(d) + 1;
    while (isWeekend(c) || days.has(formatEpochDay(c))) c += 1;
    days.add(formatEpochDay(c));
  }
  return [...days].sort();
}

/** Builds a calendar over the given overrides (validated by {@link parseVnOverrides} or equivalent). */
export function createVnCalendar(overrides: readonly VnYearOverride[]): VnCalendar {
  const byYear = new Map(overrides.map((o) => [o.year, o]));
  // Per-year sets, computed once: deadline arithmetic asks about the same days repeatedly.
  const cache = new Map<number, VnYearCalendar & { off: Set<string>; worked: Set<string> }>();

  function load(year: number) {
    let entry = cache.get(year);
    if (!entry) {
      checkYear(year);
      const o = byYear.get(year);
      const holidays = o ? [...new Set(o.holidays)].sort() : builtInVnHolidays(year);
      const workingSaturdays = o ? [...new Set(o.workingSaturdays)].sort() : [];
      entry = {
        year,
        source: o ? 'override' : 'built-in',
        holidays,
        workingSaturdays,
        off: new Set(holidays),
        worked: new Set(workingSaturdays),
      };
      cache.set(year, entry);
    }
    return entry;
  }

  return {
    isWorkingDay(localDate: string): boolean {
      const p = parseDate(localDate);
      if (!p)
        throw new RangeError(`isWorkingDay: ${JSON.stringify(localDate)} is not a YYYY-MM-DD date`);
      const year = load(p.year);
      if (year.worked.has(localDate)) return true;
      if (p.weekday === 0 || p.weekday === 6) return false;
      return !year.off.has(localDate);
    },
    yearCalendar(year: number): VnYearCalendar {
      const { year: y, source, holidays, workingSaturdays } = load(year);
      return { year: y, source, holidays, workingSaturdays };
    },
  };
}

/** The calendar over the shipped `vn-overrides.json`; throws at import if the file is invalid. */
export const vnCalendar: VnCalendar = createVnCalendar(parseVnOverrides(overridesFile));

/**
 * True when `localDate` (`YYYY-MM-DD`, local date in Vietnam) is a working day: Monday to
 * Friday and not a holiday, or a swapped working Saturday. Uses the shipped overrides.
 *
 * @throws RangeError for a malformed date or a year outside
 *   {@link VN_CALENDAR_MIN_YEAR}–{@link VN_CALENDAR_MAX_YEAR}.
 */
export function isWorkingDay(localDate: string): boolean {
  return vnCalendar.isWorkingDay(localDate);
}

// ---- helpers ----

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < VN_CALENDAR_MIN_YEAR || year > VN_CALENDAR_MAX_YEAR) {
    throw new RangeError(
      `No Vietnamese calendar data for year ${year} (supported ${VN_CALENDAR_MIN_YEAR}–${VN_CALENDAR_MAX_YEAR})`,
    );
  }
}

let holidaysLib: Holidays | undefined;

/** Mùng 1 Tết and 10/3 lunar of a Gregorian year, as local dates. */
function lunarHolidays(year: number): { tet: string; hungKings: string } {
  // Lazy: building the library's data costs time that callers of the overrides never need.
  holidaysLib ??= new Holidays('VN');
  const list = holidaysLib.getHolidays(year);
  // Matched by rule, not by name: names are translated and may change between releases.
  const find = (rule: string): string => {
    const h = list.find((x) => x.rule === rule);
    if (!h)
      throw new Error(`date-holidays has no '${rule}' for VN ${year}; check the package version`);
    return h.date.slice(0, 10);
  };
  return { tet: find('vietnamese 1-0-1'), hungKings: find('vietnamese 3-0-10') };
}

function nationalDayNeighbour(year: number): string {
  const weekday = new Date(Date.UTC(year, 8, 2)).getUTCDay();
  // Mon, Sat: the other neighbour is a weekend day. Thu: Friday makes a 4-day weekend.
  // Sun, Mon, Thu → 3/9; Tue, Wed, Fri, Sat → 1/9.
  return weekday === 0 || weekday === 1 || weekday === 4 ? `${year}-09-03` : `${year}-09-01`;
}

function parseDate(s: string): { year: number; weekday: number } | undefined {
  if (typeof s !== 'string') return undefined;
  const m = DATE_RE.exec(s);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(ms);
  // Rejects 2025-02-30 and the like, which Date.UTC would roll over silently.
  if (Number.isNaN(ms) || d.toISOString().slice(0, 10) !== s) return undefined;
  return { year: d.getUTCFullYear(), weekday: d.getUTCDay() };
}

function epochDay(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function formatEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isWeekend(day: number): boolean {
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday === 0 || weekday === 6;
}
