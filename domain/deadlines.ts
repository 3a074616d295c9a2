/**
 * Deadline and escalation-ladder arithmetic on the policy's calendar. Pure: the same input
 * always gives the same plan, so a retried activity returns what the first attempt did.
 */
import { addDuration, snapToWorkingDay, subtractDuration } from './calendar/calendar';
import { concretizesAt, type CalendarName, type LevelRules, type ReportCycle } from '../contract/definitions';
import type { DeliverInput, LadderPlan, PlanLadderInput } from '../contract/activities';
import { deadlineAfter } from './policy-presets';

export function planLadder(input: PlanLadderInput): LadderPlan {
  const deadline = input.dueAt
    ? new Date(input.dueAt)
    : deadlineAfter(new Date(input.from), input.within ?? 'PT0S', input.calendar);
  const times = [deadline, ...input.escalation.map((step) => addDuration(deadline, step.after, input.calendar))];
  return { deadline: deadline.toISOString(), times: times.map((t) => t.toISOString()) };
}

/**
 * A report due date one level further down: `levelLeadTime` before the parent's on the
 * policy's calendar, then moved back onto a working day (see {@link snapToWorkingDay}).
 *
 * Lead time is calendar arithmetic (`subtractDuration`), not a fixed number of
 * milliseconds: on `'none'` P1D is 24 h and P1M a calendar month (clamped to the month's
 * end); on `'vn-working-days'` P1D is one working day, so a level's due date skips weekends
 * and Tết. Month and year lead times are supported rather than refused because plans
 * (kế hoạch) do state level deadlines in months, and the calendar already counts months;
 * what makes them unsafe (a level falling before the issue date) is checked at issue time
 * by `planDirective`.
 *
 * @throws RangeError / InvalidDurationError as `subtractDuration` does.
 */
export function parentToChildDueAt(parentDueAt: Date, leadTime: string | undefined, calendar: CalendarName): Date {
  const earlier = leadTime ? subtractDuration(parentDueAt, leadTime, calendar) : parentDueAt;
  return snapToWorkingDay(earlier, calendar);
}

/**
 * A lower level reports earlier than its parent: one lead time per level below the
 * issuer's recipients (`relDepth` 1), each level counted from its parent's due date, so
 * every level's due date lies strictly before its parent's and on a working day.
 */
export function cyclesForDepth(
  base: ReportCycle[],
  leadTime: string | undefined,
  relDepth: number,
  calendar: CalendarName = 'none',
): ReportCycle[] {
  if (relDepth <= 1) return base;
  return base.map((c) => {
    let due = new Date(c.dueAt);
    for (let level = 2; level <= relDepth; level += 1) due = parentToChildDueAt(due, leadTime, calendar);
    return { cycle: c.cycle, dueAt: due.toISOString() };
  });
}

/**
 * What a delivery decides from the unit's level and fan-out, under the directive's level
 * rules: pure, shared with test fakes.
 */
export function planDelivery(input: DeliverInput, unit: { level: string; childCount: number }, rules: LevelRules) {
  const isLeaf = unit.childCount === 0;
  return {
    isLeaf,
    mustConcretize: !isLeaf && concretizesAt(rules, unit.level),
    reportCycles: cyclesForDepth(input.baseCycles, rules.levelLeadTime, input.relDepth, input.policy.calendar),
    ackPlan: planLadder({
      from: input.at,
      within: input.policy.ackWithin,
      escalation: input.policy.escalation,
      calendar: input.policy.calendar,
    }),
  };
}
