/**
 * ISO-8601 durations as the policy writes them (`PT30S`, `P2D`, `P1DT12H`, `P6M`, `P1Y`, `P2W`).
 *
 * Syntax only: no calendar here. Adding a duration to an instant lives in `./calendar`
 * (`addDuration`, `subtractDuration`) because a day means a working day there, and one
 * function is easier to call correctly than two with the same name.
 */

/** The parsed components, each a non-negative number; only `seconds` may have a fraction. */
export interface IsoDuration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** Thrown for a string that is not a supported ISO-8601 duration; the message says why. */
export class InvalidDurationError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`Invalid ISO-8601 duration ${JSON.stringify(input)}: ${reason}`);
    this.name = 'InvalidDurationError';
  }
}

const EXAMPLES = 'expected e.g. PT30S, P2D, P1DT12H, P6M, P1Y or P2W';

// Date part then optional time part; each component at most once and in this order.
// Only seconds may carry a fraction ("." or "," as ISO allows): fractional days or months
// have no meaning on a working-day calendar.
const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/;

/**
 * Parses an ISO-8601 duration.
 *
 * Accepted: upper-case designators, non-negative integer components, a decimal fraction on
 * seconds only, weeks combinable with other parts (as ECMAScript Temporal allows).
 * Rejected, with a reason: empty input, a sign, lower case, `P`/`PT` with no component,
 * time components without `T` (`P1H`), fractions on other components, unknown designators.
 *
 * @throws InvalidDurationError
 */
export function parseIsoDuration(input: string): IsoDuration {
  if (typeof input !== 'string' || input.length === 0) {
    throw new InvalidDurationError(String(input), `empty; ${EXAMPLES}`);
  }
  const m = PATTERN.exec(input);
  if (!m) throw new InvalidDurationError(input, explain(input));
  const [, y, mo, w, d, h, mi, s] = m;
  if ([y, mo, w, d, h, mi, s].every((part) => part === undefined)) {
    throw new InvalidDurationError(input, `has no component; ${EXAMPLES}`);
  }
  if (input.endsWith('T')) {
    throw new InvalidDurationError(input, "'T' must be followed by hours, minutes or seconds");
  }
  const duration: IsoDuration = {
    years: int(input, y),
    months: int(input, mo),
    weeks: int(input, w),
    days: int(input, d),
    hours: int(input, h),
    minutes: int(input, mi),
    seconds: s === undefined ? 0 : Number(s.replace(',', '.')),
  };
  return duration;
}

/** True when `value` is a string that {@link parseIsoDuration} accepts; for Zod `.refine`. */
export function isIsoDuration(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    parseIsoDuration(value);
    return true;
  } catch {
    return false;
  }
}

/** True when the duration has a year or month part, whose length depends on the start date. */
export function hasCalendarUnits(d: IsoDuration): boolean {
  return d.years !== 0 || d.months !== 0;
}

/** `d` repeated `times` times (every component multiplied), e.g. the k-th period of a cycle. */
export function scaleDuration(d: IsoDuration, times: number): IsoDuration {
  return {
    years: d.years * times,
    months: d.months * times,
    weeks: d.weeks * times,
    days: d.days * times,
    hours: d.hours * times,
    minutes: d.minutes * times,
    seconds: d.seconds * times,
  };
}

/** True when the duration has a day, week, month or year part (anything beyond H/M/S). */
export function hasDatePart(d: IsoDuration): boolean {
  return hasCalendarUnits(d) || d.weeks !== 0 || d.days !== 0;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Exact length in milliseconds, counting a day as 24 h and a week as 7 days (plain time,
 * as Vietnam has no daylight saving). Fractions of a millisecond are rounded.
 *
 * @throws InvalidDurationError for a string that does not parse, or for a duration with
 *   years or months (their length depends on the start date: use `addDuration`).
 */
export function durationToMs(duration: IsoDuration | string): number {
  const d = typeof duration === 'string' ? parseIsoDuration(duration) : duration;
  if (hasCalendarUnits(d)) {
    const text = typeof duration === 'string' ? duration : JSON.stringify(duration);
    throw new InvalidDurationError(
      text,
      'years and months have no fixed length; use addDuration(from, duration, calendar)',
    );
  }
  return Math.round(
    (d.weeks * 7 + d.days) * DAY + d.hours * HOUR + d.minutes * MINUTE + d.seconds * SECOND,
  );
}

/** Milliseconds of the H/M/S part only (what both calendars add as plain elapsed time). */
export function timePartToMs(d: IsoDuration): number {
  return Math.round(d.hours * HOUR + d.minutes * MINUTE + d.seconds * SECOND);
}

function int(input: string, digits: string | undefined): number {
  if (digits === undefined) return 0;
  const n = Number(digits);
  // A component past 2^53 would silently lose digits; no deadline needs one.
  if (!Number.isSafeInteger(n))
    throw new InvalidDurationError(input, `component ${digits} is too large`);
  return n;
}

/** Best-effort reason for a string the pattern rejected, so API errors are actionable. */
function explain(input: string): string {
  if (/^[-+−]/.test(input)) return 'a sign is not allowed; durations here are never negative';
  if (input !== input.toUpperCase()) return `designators must be upper case; ${EXAMPLES}`;
  if (!input.startsWith('P')) return `must start with 'P'; ${EXAMPLES}`;
  if (/\d[.,]\d*[YMWDH]/.test(input) || /T.*\d[.,]\d*M/.test(input)) {
    return 'only the seconds component may have a fraction';
  }
  const datePart = input.split('T')[0] ?? '';
  if (/[HS]/.test(datePart)) return "hours and seconds belong after 'T', e.g. PT1H";
  return `unknown or misplaced component; ${EXAMPLES}`;
}
