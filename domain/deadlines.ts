/**
 * Deadline and escalation-ladder arithmetic on the policy's calendar. Pure: the same input
 * always gives the same plan, so a retried activity returns what the first attempt did.
 */
import { addDuration } from './calendar/calendar';
import { durationToMs } from './calendar/duration';
import type { ReportCycle } from '../contract/definitions';
import type { DeliverInput, LadderPlan, PlanLadderInput } from '../contract/activities';

export function planLadder(input: PlanLadderInput): LadderPlan {
  const deadline = input.dueAt
    ? new Date(input.dueAt)
    : addDuration(new Date(input.from), input.within ?? 'PT0S', input.calendar);
  const times = [deadline, ...input.escalation.map((step) => addDuration(deadline, step.after, input.calendar))];
  return { deadline: deadline.toISOString(), times: times.map((t) => t.toISOString()) };
}

/**
 * A lower level reports earlier than its parent: one lead time per level below the
 * issuer's recipients. Lead time is plain time (P1D = 24 h) so that every level's due
 * date stays strictly before its parent's whatever the calendar.
 */
export function cyclesForDepth(base: ReportCycle[], leadTime: string | undefined, relDepth: number): ReportCycle[] {
  if (!leadTime || relDepth <= 1) return base;
  const shift = durationToMs(leadTime) * (relDepth - 1);
  return base.map((c) => ({ cycle: c.cycle, dueAt: new Date(Date.parse(c.dueAt) - shift).toISOString() }));
}

/** What a delivery decides from the unit's level and fan-out: pure, shared with test fakes. */
export function planDelivery(input: DeliverInput, unit: { level: string; childCount: number }) {
  const isLeaf = unit.childCount === 0;
  return {
    isLeaf,
    mustConcretize: !isLeaf && input.policy.concretizeLevels.includes(unit.level),
    reportCycles: cyclesForDepth(input.baseCycles, input.policy.levelLeadTime, input.relDepth),
    ackPlan: planLadder({
      from: input.at,
      within: input.policy.ackWithin,
      escalation: input.policy.escalation,
      calendar: input.policy.calendar,
    }),
  };
}
