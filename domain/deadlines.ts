/**
 * Deadline and escalation-ladder arithmetic on the policy's calendar. Pure: the same input
 * always gives the same plan, so a retried activity returns what the first attempt did.
 */
import { addDuration, snapToWorkingDay, subtractDuration } from './calendar/calendar';
import {
  concretizesAt,
  DEFAULT_REMINDER,
  rungSteps,
  type CalendarName,
  type EscalationStep,
  type LevelRules,
  type ReportCycle,
} from '../contract/definitions';
import type { DeliverInput, LadderPlan, PlanLadderInput } from '../contract/activities';
import type { PlannedReminder } from '../contract/workflow-inputs';
import { deadlineAfter } from './policy-presets';

/** An obligation's deadline and its ladder: the rungs past it and, when asked, the reminders. */
export function planLadder(input: PlanLadderInput): LadderPlan {
  const deadline = input.dueAt
    ? new Date(input.dueAt)
    : deadlineAfter(new Date(input.from), input.within ?? 'PT0S', input.calendar);
  const times = [deadline, ...rungSteps(input.escalation).map((step) => addDuration(deadline, step.after, input.calendar))];
  const plan: LadderPlan = { deadline: deadline.toISOString(), times: times.map((t) => t.toISOString()) };
  if (input.reminders) plan.reminders = planReminders(input.escalation, times, new Date(input.from), input.calendar);
  return plan;
}

/**
 * The messages between an obligation's rungs, by time: each `before` step (or, when the
 * policy names none, {@link DEFAULT_REMINDER}) and its repeats until the deadline, and the
 * repeats of each rung until the next rung. Only those after `from` (when the ladder is
 * planned): a deadline closer than its reminder gets none.
 */
export function planReminders(
  escalation: EscalationStep[],
  times: Date[],
  from: Date,
  calendar: CalendarName,
): PlannedReminder[] {
  const deadline = times[0]!;
  const ahead = escalation.filter((step) => step.before !== undefined);
  const reminders: PlannedReminder[] = [];
  /** A step's firing at `origin` (sent only for a reminder: a rung records itself) and its repeats. */
  const series = (origin: Date, step: EscalationStep, until: Date | undefined, rung: number) => {
    const before = rung === 0;
    let at = origin;
    for (let repeat = 0; repeat <= (step.every ? (step.times ?? 0) : 0); repeat += 1) {
      if (repeat > 0) at = addDuration(at, step.every!, calendar);
      if (until && at >= until) break;
      if (at > from && (before || repeat > 0)) reminders.push({ at: at.toISOString(), action: step.action, before, rung, repeat });
    }
  };
  for (const step of ahead.length > 0 ? ahead : [DEFAULT_REMINDER]) {
    series(subtractDuration(deadline, step.before!, calendar), step, deadline, 0);
  }
  rungSteps(escalation).forEach((step, i) => series(times[i + 1]!, step, times[i + 2], i + 1));
  return reminders.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.rung - b.rung);
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
      ...(input.reminders ? { reminders: true } : {}),
    }),
  };
}
