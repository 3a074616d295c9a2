/**
 * The escalation ladder, one for every obligation (an assignment's acknowledgement,
 * implementing document and reports; a task part's cycles): when its next rung fires, what
 * that rung records and whom it tells. Pure: the workflows apply what it answers.
 *
 * Rung 0 fires at the deadline and marks the obligation OVERDUE (no message: the unit sees
 * it in its inbox). Rung n (n ≥ 1) is the policy's escalation step n: `remind` tells the
 * unit itself, `notify_parent` the unit above the obligation, `escalate_to_issuer` the
 * directive's issuer. Between the rungs the ladder may send reminders (`ladder.reminders`,
 * planned with it): ahead of the deadline, and repeats of a rung until the next; a reminder
 * moves no rung and marks nothing overdue.
 */
import { rungSteps, type EscalationAction, type EscalationStep } from '../contract/definitions';
import type { PersistEventInput } from '../contract/activities';
import type { TaskRole } from '../contract/tasks';
import type { Ladder, PlannedReminder } from '../contract/workflow-inputs';

export type { Ladder };

/** Who stands around an obligation. */
export interface Parties {
  /** The unit that owes it. */
  unit: string;
  /** The unit above it: who forwarded an assignment; the lead or the assigner of a task part. */
  above: string;
  /** The directive's issuer. */
  issuer: string;
}

/** Whom a rung's action notifies. */
export function rungTarget(action: EscalationAction, parties: Parties): string {
  switch (action) {
    case 'remind':
      return parties.unit;
    case 'notify_parent':
      return parties.above;
    case 'escalate_to_issuer':
      return parties.issuer;
  }
}

/** The unit above a task part: a late coordinator holds up the lead; a late lead, the assigning unit. */
export function taskPartAbove(part: { role: TaskRole; leadUnitCode: string; assignerUnitCode: string }): string {
  return part.role === 'coordinator' ? part.leadUnitCode : part.assignerUnitCode;
}

/** What the ladder does next: fire its next rung (the deadline first), or send a reminder. */
export type LadderStep = { at: string; reminder?: PlannedReminder };

/** The ladder's next step still to come, or undefined once every rung and reminder fired. */
export function nextLadderStep(ladder: Ladder): LadderStep | undefined {
  const rungAt = ladder.times[ladder.fired];
  const reminder = ladder.reminders?.[ladder.remindersFired ?? 0];
  if (reminder && (rungAt === undefined || Date.parse(reminder.at) < Date.parse(rungAt))) return { at: reminder.at, reminder };
  return rungAt === undefined ? undefined : { at: rungAt };
}

/** When the ladder's next step is due. */
export function nextLadderTime(ladder: Ladder): string | undefined {
  return nextLadderStep(ladder)?.at;
}

/** The next reminder still to be sent, for the views. */
export function nextReminder(ladder: Ladder | null): PlannedReminder | undefined {
  return ladder?.reminders?.[ladder.remindersFired ?? 0];
}

/** What the timer that waits for the ladder's next step is called in the Temporal UI. */
export function rungLabel(ladder: Ladder): string {
  const reminder = nextLadderStep(ladder)?.reminder;
  if (reminder) return reminder.before ? `reminder before ${ladder.obligation}` : `repeat of rung ${reminder.rung} for ${ladder.obligation}`;
  return ladder.fired === 0 ? `deadline for ${ladder.obligation}` : `escalation rung ${ladder.fired} for ${ladder.obligation}`;
}

/** The event the ladder's next rung records. */
export interface RungRecord {
  type: 'OVERDUE' | 'ESCALATED' | 'REMINDED';
  extra: Partial<PersistEventInput>;
}

/**
 * What firing the ladder's next rung (`ladder.fired`) records. `subject` names the obligation
 * in the notification (directive, unit, and for a task part its task and role). The caller
 * then counts the rung fired (`ladder.fired += 1`).
 */
export function rungRecord(
  ladder: Ladder,
  escalation: EscalationStep[],
  parties: Parties,
  subject: Record<string, unknown>,
): RungRecord {
  const { obligation, deadline } = ladder;
  const rung = ladder.fired;
  if (rung === 0) return { type: 'OVERDUE', extra: { data: { obligation, deadline } } };
  const step = rungSteps(escalation)[rung - 1];
  if (!step) throw new RangeError(`the ladder of ${obligation} has no rung ${rung}`);
  const target = rungTarget(step.action, parties);
  return {
    type: 'ESCALATED',
    extra: {
      data: { obligation, rung, action: step.action, target },
      escalation: { obligation, rung, action: step.action, targetUnitCode: target, deadline },
      notify: [
        {
          kind: `escalation_${step.action}`,
          recipientUnit: target,
          payload: { ...subject, obligation, rung, deadline },
        },
      ],
    },
  };
}

/**
 * What sending the ladder's next reminder records: a REMINDED event and one message, to
 * whom its action names; no escalation row and no rung (a reminder before the deadline is
 * `reminder_due`, a rung's repeat is that rung's message again). A reminder ahead of the
 * deadline that comes due only after it (the worker was down) is stale: `undefined`, the
 * caller passes over it. The caller then counts it sent (`ladder.remindersFired += 1`).
 */
export function reminderRecord(
  ladder: Ladder,
  reminder: PlannedReminder,
  parties: Parties,
  subject: Record<string, unknown>,
  now: number,
): RungRecord | undefined {
  const { obligation, deadline } = ladder;
  if (reminder.before && now >= Date.parse(deadline)) return undefined;
  const target = rungTarget(reminder.action, parties);
  const { action, rung, repeat, before } = reminder;
  return {
    type: 'REMINDED',
    extra: {
      data: { obligation, action, target, deadline, rung, repeat, before },
      notify: [
        {
          kind: before ? 'reminder_due' : `escalation_${action}`,
          recipientUnit: target,
          payload: { ...subject, obligation, deadline, action, rung, repeat },
        },
      ],
    },
  };
}
