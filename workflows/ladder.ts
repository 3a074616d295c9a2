/**
 * The escalation ladder, one for every obligation (an assignment's acknowledgement,
 * implementing document and reports; a task part's cycles): when its next rung fires, what
 * that rung records and whom it tells. Pure: the workflows apply what it answers.
 *
 * Rung 0 fires at the deadline and marks the obligation OVERDUE (no message: the unit sees
 * it in its inbox). Rung n (n ≥ 1) is the policy's escalation step n: `remind` tells the
 * unit itself, `notify_parent` the unit above the obligation, `escalate_to_issuer` the
 * directive's issuer.
 */
import type { EscalationAction, EscalationStep } from '../contract/definitions';
import type { PersistEventInput } from '../contract/activities';
import type { TaskRole } from '../contract/tasks';
import type { Ladder } from '../contract/workflow-inputs';

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

/** The next ladder time still to fire (index 0: the deadline), or undefined once every rung fired. */
export function nextLadderTime(ladder: Ladder): string | undefined {
  return ladder.times[ladder.fired];
}

/** What the timer that waits for the next rung is called in the Temporal UI. */
export function rungLabel(ladder: Ladder): string {
  return ladder.fired === 0 ? `deadline for ${ladder.obligation}` : `escalation rung ${ladder.fired} for ${ladder.obligation}`;
}

/** The event the ladder's next rung records. */
export interface RungRecord {
  type: 'OVERDUE' | 'ESCALATED';
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
  const step = escalation[rung - 1];
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
