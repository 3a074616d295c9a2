/**
 * Presets from the regulations, usable by name in a directive's policy (DESIGN §10).
 *
 * ### `ackWithin: "decree-30"` — Decree 30/2020/NĐ-CP (clerical work)
 * An incoming document is registered and its receipt confirmed the same day, and presented
 * for handling the same day or **the next working day at the latest**. In the engine the
 * delivery is the registration (the assignment is created and timestamped at once), so what
 * the unit owes is the handling, confirmed by its acknowledgement. The deadline is:
 * - the **day of receipt** is the day of delivery (Vietnam local date) when it is a working
 *   day, else the first working day after it (a document arriving on Saturday or during Tết
 *   is received when the office opens);
 * - the acknowledgement is due by the **end (23:59:59 +07:00) of the first working day after
 *   the day of receipt**.
 * Monday 10:00 → Tuesday 23:59:59; Friday 16:00 → Monday 23:59:59; Saturday → Tuesday
 * 23:59:59; Friday 13/2/2026, the last day before the Tết break → Monday 23/2/2026 23:59:59.
 * Always on Vietnamese working days. The deadline depends on each unit's own delivery time,
 * which no ISO duration expresses on any calendar (one working day from 10:00 is 10:00, not
 * the end of the day), so the name stays in the policy and {@link deadlineAfter} computes it
 * wherever a duration would be added.
 *
 * ### `reportRegime` — Decree 09/2019/NĐ-CP (reporting regime)
 * - `"decree-09-six-monthly"`: a report for each half year, data closing on 14/6 (period
 *   15/12 of the previous year → 14/6) and on 14/12 (period 15/6 → 14/12; the second-half
 *   report is also the year's).
 * - `"decree-09-annual"`: a report a year, data closing on 14/12 (period 15/12 → 14/12).
 * At least one working day lies between the closing of data and the submission deadline,
 * and when a report is aggregated over several levels each level has its own deadline, a
 * lower level's earlier. So, for each closing date on or after the issue date:
 * - the **lowest level** of the issuer's subtree submits by the end of the first working day
 *   after the closing date;
 * - **each level above** one `levelLeadTime` later (default `P1D`: one working day), so the
 *   issuer's recipients submit `levelsBelow − 1` lead times after the lowest level.
 * The regime expands at issue time into the ordinary fields: `calendar: "vn-working-days"`,
 * `levelLeadTime: "P1D"` (unless given) and the reporting cycles of the issuer's recipients
 * (`policy.cycles`), one per closing date whose recipients' due date is not after `until`.
 * Lower levels get theirs as for any report date: one lead time earlier per level.
 *
 * Either preset puts the policy on the `vn-working-days` calendar when it names none; naming
 * `calendar: "none"` with a preset is refused, since both regulations count working days.
 */
import { addDuration } from './calendar/calendar';
import { VN_OFFSET } from './calendar/document-date';
import { isWorkingDay, toVnLocalDate } from './calendar/vn-holidays';
import type { CalendarName, ReportCycle } from '../contract/definitions';

/** Named acknowledgement deadlines, accepted in `policy.ackWithin` beside ISO durations. */
export const ACK_PRESETS = ['decree-30'] as const;
export type AckPreset = (typeof ACK_PRESETS)[number];

/** Named reporting regimes, accepted in `policy.reportRegime`. */
export const REPORT_REGIMES = ['decree-09-six-monthly', 'decree-09-annual'] as const;
export type ReportRegime = (typeof REPORT_REGIMES)[number];

/** The level lead time a reporting regime uses unless the policy gives one. */
export const REPORT_REGIME_LEAD_TIME = 'P1D';

export function isAckPreset(value: string): value is AckPreset {
  return (ACK_PRESETS as readonly string[]).includes(value);
}

/** The data-closing dates (month-day) of each regime's reports within a year. */
const CLOSINGS: Record<ReportRegime, readonly string[]> = {
  'decree-09-six-monthly': ['06-14', '12-14'],
  'decree-09-annual': ['12-14'],
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** `date` (YYYY-MM-DD) plus `days` calendar days. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `date` itself when it is a Vietnamese working day, else the first working day after it. */
function workingDayOnOrAfter(date: string): string {
  let day = date;
  // The calendar covers 1970–2199 and throws beyond; no year is without working days.
  while (!isWorkingDay(day)) day = addDays(day, 1);
  return day;
}

/** The last second of a local date in Vietnam. */
function endOfDay(date: string): Date {
  return new Date(`${date}T23:59:59${VN_OFFSET}`);
}

/**
 * The Decree 30 acknowledgement deadline of a document delivered at `deliveredAt`: the end
 * of the first working day after the day of receipt (see the module comment).
 *
 * @throws RangeError outside the calendar's years.
 */
export function decree30AckDeadline(deliveredAt: Date): Date {
  const receipt = workingDayOnOrAfter(toVnLocalDate(deliveredAt));
  return endOfDay(workingDayOnOrAfter(addDays(receipt, 1)));
}

/**
 * The shortest time an acknowledgement preset can give, as an ISO duration, for checks of
 * minimum deadline lengths: Decree 30 gives at least one day (a document delivered at the
 * last second of a working day is due at the end of the next one). A duration is itself.
 */
export function shortestDurationOf(within: string): string {
  return within === 'decree-30' ? 'P1D' : within;
}

/**
 * A deadline `within` after `from` on `calendar`: an ISO-8601 duration added by
 * `addDuration`, or an acknowledgement preset computed by its own rule.
 *
 * @throws as `addDuration` (InvalidDurationError for a string that is neither).
 */
export function deadlineAfter(from: Date, within: string, calendar: CalendarName): Date {
  if (within === 'decree-30') return decree30AckDeadline(from);
  return addDuration(from, within, calendar);
}

export interface ReportRegimeInput {
  regime: ReportRegime;
  issuedAt: string;
  /** No cycle whose recipients' due date is after this. */
  until: string;
  /** Levels of units below the issuer (1: children only); the lowest level submits first. */
  levelsBelow: number;
  levelLeadTime: string;
}

/** A regime's report: when its data closes and when the issuer's recipients owe it. */
export interface RegimeCycle extends ReportCycle {
  /** The closing date of the report's data (YYYY-MM-DD, Vietnam). */
  closesOn: string;
  /** The due date of the lowest level. */
  lowestLevelDueAt: string;
}

/**
 * The reporting cycles of a Decree 09 regime for the issuer's recipients, numbered from 1:
 * one per closing date on or after the issue date (Vietnam local dates) whose due date is
 * not after `until`. Pure apart from the shipped calendar data.
 *
 * @throws RangeError outside the calendar's years; InvalidDurationError for a bad lead time.
 */
export function reportRegimeCycles(input: ReportRegimeInput): RegimeCycle[] {
  const issuedOn = toVnLocalDate(new Date(input.issuedAt));
  const until = Date.parse(input.until);
  const cycles: RegimeCycle[] = [];
  for (let year = Number(issuedOn.slice(0, 4)); ; year += 1) {
    for (const monthDay of CLOSINGS[input.regime]) {
      const closesOn = `${year}-${monthDay}`;
      if (closesOn < issuedOn) continue;
      const lowest = endOfDay(workingDayOnOrAfter(addDays(closesOn, 1)));
      let due = lowest;
      for (let level = input.levelsBelow; level > 1; level -= 1) {
        due = addDuration(due, input.levelLeadTime, 'vn-working-days');
      }
      // Due dates grow with the closing date, so the first one past `until` ends the list.
      if (due.getTime() > until) return cycles;
      cycles.push({
        cycle: cycles.length + 1,
        dueAt: due.toISOString(),
        closesOn,
        lowestLevelDueAt: lowest.toISOString(),
      });
    }
  }
}

/** A policy as the API parses it, before presets are expanded (only the fields presets touch). */
export interface PolicyWithPresets {
  ackWithin: string;
  reportRegime?: ReportRegime | undefined;
  levelLeadTime?: string | undefined;
  calendar?: CalendarName | undefined;
}

export interface PresetProblem {
  /** The policy field, e.g. `calendar`. */
  field: string;
  message: string;
}

/**
 * The static part of expanding presets, done when the policy is parsed: the calendar a
 * preset counts on (`vn-working-days` when none is named; `none` is refused) and a regime's
 * level lead time. The regime's cycles need the issuer's subtree and are planned at issue
 * time (`planDirective`).
 */
export function expandPolicyPresets<P extends PolicyWithPresets>(
  policy: P,
): { policy: P & { calendar: CalendarName }; problems: PresetProblem[] } {
  const presets = [
    ...(isAckPreset(policy.ackWithin) ? [`ackWithin "${policy.ackWithin}"`] : []),
    ...(policy.reportRegime ? [`reportRegime "${policy.reportRegime}"`] : []),
  ];
  const problems: PresetProblem[] = [];
  if (presets.length > 0 && policy.calendar === 'none') {
    problems.push({
      field: 'calendar',
      message: `${presets.join(' and ')} count Vietnamese working days: give calendar "vn-working-days" or leave it out`,
    });
  }
  const calendar: CalendarName = policy.calendar ?? (presets.length > 0 ? 'vn-working-days' : 'none');
  const levelLeadTime = policy.reportRegime
    ? (policy.levelLeadTime ?? REPORT_REGIME_LEAD_TIME)
    : policy.levelLeadTime;
  return {
    policy: { ...policy, calendar, ...(levelLeadTime !== undefined ? { levelLeadTime } : {}) },
    problems,
  };
}
