/**
 * Issue-time planning: every duration and date a cascade will compute, computed once before
 * anything is written, so that every directive the API accepts can be delivered to every
 * unit. A policy the cascade could not carry out (a duration or date the calendar cannot
 * count, a level whose report would be due before the directive was issued) is reported as
 * problems naming the policy field, which the API answers with a 400.
 *
 * Pure: the caller passes "now" and the depth of the issuer's subtree.
 */
import { addDuration, isOnWorkingDay, subtractDuration } from './calendar/calendar';
import {
  InvalidDurationError,
  hasDatePart,
  parseIsoDuration,
  scaleDuration,
} from './calendar/duration';
import { parentToChildDueAt } from './deadlines';
import { deadlineAfter, reportRegimeCycles, type ReportRegime } from './policy-presets';
import type { CalendarName, EscalationStep, ReportCycle } from '../contract/definitions';

/** Reporting cycles a policy may ask for; more is a mistake (e.g. PT1S until next year). */
export const MAX_REPORT_CYCLES = 200;

/** The policy fields planning reads: the API's policy, defaults applied and presets expanded. */
export interface PolicyToPlan {
  /** An ISO duration or an acknowledgement preset (`decree-30`, domain/policy-presets). */
  ackWithin: string;
  concretizeWithin?: string | undefined;
  reportDueAt?: string | undefined;
  reportEvery?: string | undefined;
  until?: string | undefined;
  /** A Decree 09 reporting regime: its cycles, up to `until` (domain/policy-presets). */
  reportRegime?: ReportRegime | undefined;
  levelLeadTime?: string | undefined;
  escalation: EscalationStep[];
  calendar: CalendarName;
}

export interface PlanDirectiveInput {
  issuedAt: string;
  /** When the cascade starts; the first deadlines are counted from the later of this and `issuedAt`. */
  now: string;
  policy: PolicyToPlan;
  /**
   * Levels of units below the issuer in its subtree (1: children only). Bounds the depth a
   * recipient can have in the cascade (`relDepth`), since each forward goes down a level.
   */
  levelsBelow: number;
}

/** One thing the cascade could not plan; `field` is a dotted path such as `policy.levelLeadTime`. */
export interface PlanProblem {
  field: string;
  message: string;
}

export type DirectivePlan =
  | {
      ok: true;
      /** The reporting cycles of the issuer's recipients (relDepth 1). */
      cycles: ReportCycle[];
      /** `levels[i]`: the cycles at relDepth i + 1, as deliveries will compute them. */
      levels: ReportCycle[][];
    }
  | { ok: false; problems: PlanProblem[] };

/** Plans the whole cascade of a policy; see the module comment. */
export function planDirective(input: PlanDirectiveInput): DirectivePlan {
  const { policy } = input;
  const cal = policy.calendar;
  const problems: PlanProblem[] = [];
  const problem = (field: string, message: string) => {
    if (!problems.some((p) => p.field === field)) problems.push({ field, message });
  };
  /** Runs a computation; a calendar or duration error becomes a problem on `field`. */
  const attempt = <T>(field: string, compute: () => T): T | undefined => {
    try {
      return compute();
    } catch (err) {
      if (err instanceof RangeError || err instanceof InvalidDurationError) {
        problem(field, unplannable(err));
        return undefined;
      }
      throw err;
    }
  };
  /**
   * Every rung and reminder of a ladder whose deadline is `deadline`: the calendar can
   * count each, and no reminder falls before the directive is issued.
   */
  const ladder = (deadline: Date) =>
    policy.escalation.forEach((step, i) => {
      const field = `policy.escalation.${i}`;
      if (step.every !== undefined) attempt(`${field}.every`, () => addDuration(deadline, step.every!, cal));
      if (step.after !== undefined) {
        attempt(`${field}.after`, () => addDuration(deadline, step.after!, cal));
        return;
      }
      const at = attempt(`${field}.before`, () => subtractDuration(deadline, step.before!, cal));
      if (at && at <= issuedAt) {
        problem(
          `${field}.before`,
          `the reminder ${step.before} before the deadline ${deadline.toISOString()} would come before the issue date ${issuedAt.toISOString()}`,
        );
      }
    });

  const issuedAt = new Date(input.issuedAt);
  const start = new Date(Math.max(issuedAt.getTime(), Date.parse(input.now)));
  attempt('issuedAt', () => isOnWorkingDay(start, cal));

  // Acknowledgement counted from delivery; concretization at the latest from the
  // acknowledgement deadline (the last on-time acknowledgement).
  const ackDeadline = attempt('policy.ackWithin', () => deadlineAfter(start, policy.ackWithin, cal));
  if (ackDeadline) {
    ladder(ackDeadline);
    const concretizeWithin = policy.concretizeWithin ?? policy.ackWithin;
    const field = policy.concretizeWithin ? 'policy.concretizeWithin' : 'policy.ackWithin';
    const concretizeDeadline = attempt(field, () =>
      deadlineAfter(ackDeadline, concretizeWithin, cal),
    );
    if (concretizeDeadline) ladder(concretizeDeadline);
  }

  if (policy.levelLeadTime && cal === 'vn-working-days') {
    const lead = attempt('policy.levelLeadTime', () => parseIsoDuration(policy.levelLeadTime!));
    if (lead && !hasDatePart(lead)) {
      // Decree 09/2019/NĐ-CP: when a report is aggregated over several levels each level has
      // its own deadline, and the level above needs working time to aggregate; on the
      // working-day calendar a level's lead time is therefore whole working days.
      problem(
        'policy.levelLeadTime',
        `on the vn-working-days calendar each level reports at least one working day before the level above: give days (e.g. P1D), not only hours (${policy.levelLeadTime})`,
      );
    }
  }

  const cycles = baseReportCycles(input, attempt, problem);
  const levels: ReportCycle[][] = cycles.length > 0 ? [cycles] : [];
  for (let relDepth = 2; cycles.length > 0 && relDepth <= input.levelsBelow; relDepth += 1) {
    const parent = levels[levels.length - 1]!;
    const next = attempt('policy.levelLeadTime', () =>
      parent.map((c) => ({
        cycle: c.cycle,
        dueAt: parentToChildDueAt(new Date(c.dueAt), policy.levelLeadTime, cal).toISOString(),
      })),
    );
    if (!next) break;
    const early = next.find((c) => Date.parse(c.dueAt) <= issuedAt.getTime());
    if (early) {
      problem(
        'policy.levelLeadTime',
        `units ${relDepth} levels below the issuer would owe report ${early.cycle} on ${early.dueAt}, ` +
          `not after the issue date ${issuedAt.toISOString()}: shorten levelLeadTime or move the report date later`,
      );
      break;
    }
    levels.push(next);
  }
  // Lower levels are due earlier, so the last cycle of the issuer's recipients carries the
  // latest ladder: if the calendar can count its rungs, it can count every level's.
  const latest = cycles[cycles.length - 1];
  if (latest) ladder(new Date(latest.dueAt));

  return problems.length > 0 ? { ok: false, problems } : { ok: true, cycles, levels };
}

/**
 * The cycles of the issuer's recipients: one due date, or one every `reportEvery` from the
 * issue date while not after `until`. The k-th due date is issuedAt + k × reportEvery on the
 * policy's calendar (not the previous due date + reportEvery), so month ends do not drift
 * (31 Aug + P6M × 2 is 31 Aug again, not 28 Aug).
 */
function baseReportCycles(
  input: PlanDirectiveInput,
  attempt: <T>(field: string, compute: () => T) => T | undefined,
  problem: (field: string, message: string) => void,
): ReportCycle[] {
  const { policy } = input;
  const issuedAt = Date.parse(input.issuedAt);
  if (policy.reportDueAt) {
    const due = new Date(policy.reportDueAt);
    if (due.getTime() <= issuedAt) {
      problem(
        'policy.reportDueAt',
        `the report due date ${due.toISOString()} is not after the issue date ${input.issuedAt}`,
      );
      return [];
    }
    // The calendar must cover the due date (its ladder is checked by the caller).
    return attempt('policy.reportDueAt', () => isOnWorkingDay(due, policy.calendar)) === undefined
      ? []
      : [{ cycle: 1, dueAt: due.toISOString() }];
  }
  if (policy.reportRegime) return regimeCycles(input, attempt, problem);
  if (!policy.reportEvery || !policy.until) return [];
  const every = attempt('policy.reportEvery', () => parseIsoDuration(policy.reportEvery!));
  if (!every) return [];
  const until = Date.parse(policy.until);
  const cycles: ReportCycle[] = [];
  for (let k = 1; ; k += 1) {
    const due = attempt('policy.until', () =>
      addDuration(new Date(issuedAt), scaleDuration(every, k), policy.calendar),
    );
    if (!due) return [];
    if (due.getTime() <= issuedAt) {
      problem('policy.reportEvery', `must be longer than zero (${policy.reportEvery})`);
      return [];
    }
    if (due.getTime() > until) break;
    if (cycles.length === MAX_REPORT_CYCLES) {
      problem(
        'policy.reportEvery',
        `yields more than ${MAX_REPORT_CYCLES} reporting cycles before ${policy.until}`,
      );
      return [];
    }
    cycles.push({ cycle: k, dueAt: due.toISOString() });
  }
  if (cycles.length === 0) {
    problem(
      'policy.until',
      `no report falls due by ${policy.until}: the first is due one reportEvery (${policy.reportEvery}) after the issue date`,
    );
  }
  return cycles;
}

/** The cycles of a Decree 09 regime (domain/policy-presets.reportRegimeCycles), or problems. */
function regimeCycles(
  input: PlanDirectiveInput,
  attempt: <T>(field: string, compute: () => T) => T | undefined,
  problem: (field: string, message: string) => void,
): ReportCycle[] {
  const { policy } = input;
  const regime = policy.reportRegime!;
  if (policy.calendar !== 'vn-working-days' || !policy.until) {
    problem('policy.reportRegime', `${regime} needs the vn-working-days calendar and until`);
    return [];
  }
  const until = policy.until;
  const cycles = attempt('policy.until', () =>
    reportRegimeCycles({
      regime,
      issuedAt: input.issuedAt,
      until,
      levelsBelow: input.levelsBelow,
      levelLeadTime: policy.levelLeadTime ?? 'P1D',
    }),
  );
  if (!cycles) return [];
  if (cycles.length === 0) {
    problem('policy.until', `no ${regime} report falls due by ${until}`);
    return [];
  }
  if (cycles.length > MAX_REPORT_CYCLES) {
    problem('policy.until', `yields more than ${MAX_REPORT_CYCLES} reporting cycles before ${until}`);
    return [];
  }
  return cycles.map(({ cycle, dueAt }) => ({ cycle, dueAt }));
}

function unplannable(err: RangeError | InvalidDurationError): string {
  const why = err.message;
  if (/No Vietnamese calendar data/.test(why))
    return `a date it yields is outside the calendar's supported range: ${why}`;
  if (/outside the range of Date/.test(why))
    return 'a date it yields is outside the supported range of dates';
  return why;
}
