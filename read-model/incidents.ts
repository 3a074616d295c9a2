/**
 * Incidents and admin retries in the read model. An incident puts the assignment in stage
 * FAILED with its reason, records a timeline event and queues a notification to the issuer
 * — once per attempt, whoever reports it (the assignment itself, or its forwarder when the
 * workflow was terminated). A retried attempt resets the row so that the new run's events
 * (with a higher sequence) apply.
 */
import type { Db } from './db';
import type { Prisma } from './generated/prisma';
import { keys, obligationKeys } from '../contract/ids';
import { OPEN_STAGES, Stage } from '../contract/definitions';
import type { DeliverInput, IncidentInput, LadderPlan } from '../contract/activities';
import { ATTEMPT_SEQ_SPAN } from '../contract/workflow-inputs';
import { planObligation } from './obligations';
import { firstReminder } from './event-record';

const json = (v: unknown) => v as Prisma.InputJsonValue;

export async function recordIncident(db: Db, input: IncidentInput): Promise<void> {
  const assignmentId = keys.assignment(input.directiveId, input.unitCode);
  const eventId = keys.incident(assignmentId, input.attempt);
  const at = new Date(input.at);
  await db.$transaction(async (tx) => {
    const row = await tx.assignment.findUnique({ where: { id: assignmentId }, select: { stage: true } });
    if (!row) {
      // The delivery itself failed before its first write: the unit still gets a row, so
      // the incident is visible and counted like any other.
      const unit = await tx.unit.findUnique({ where: { code: input.unitCode }, select: { level: true, depth: true } });
      await tx.assignment.createMany({
        data: [
          {
            id: assignmentId,
            directiveId: input.directiveId,
            unitCode: input.unitCode,
            level: unit?.level ?? 'unknown',
            depth: unit?.depth ?? 0,
            receivedDirectiveId: input.directiveId,
            stage: Stage.FAILED,
            mustConcretize: false,
            isLeaf: true,
            deliveredAt: at,
          },
        ],
        skipDuplicates: true,
      });
    }
    const inserted = await tx.timelineEvent.createMany({
      data: [
        {
          id: eventId,
          directiveId: input.directiveId,
          assignmentId,
          unitCode: input.unitCode,
          type: 'FAILED',
          at,
          data: json({ reason: input.reason, reportedBy: input.reportedBy, attempt: input.attempt }),
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return;
    // A closed assignment (completed, revoked) stays closed: a late report changes nothing.
    await tx.assignment.updateMany({
      where: { id: assignmentId, stage: { in: [...OPEN_STAGES, Stage.FAILED] } },
      data: {
        stage: Stage.FAILED,
        failedAt: at,
        failureReason: input.reason.slice(0, 2000),
        overdue: false,
        waitingFor: null,
        nextDeadline: null,
      },
    });
    const messageId = keys.outboxMessage(eventId, 0);
    await tx.outboxMessage.createMany({
      data: [
        {
          id: messageId,
          directiveId: input.directiveId,
          kind: 'incident',
          recipientUnit: input.issuerCode,
          payload: json({
            id: messageId,
            kind: 'incident',
            at: input.at,
            directiveId: input.directiveId,
            unitCode: input.unitCode,
            reason: input.reason,
            attempt: input.attempt,
          }),
        },
      ],
      skipDuplicates: true,
    });
  });
}

/**
 * The first write of an admin-retried attempt: the row back to DELIVERED with the new
 * deadline, its failure cleared, and `lastSeq` at the attempt's first sequence.
 */
export async function recordRedelivery(
  db: Db,
  input: DeliverInput & { seq: number },
  plan: { isLeaf: boolean; mustConcretize: boolean; ackPlan: LadderPlan },
): Promise<void> {
  const at = new Date(input.at);
  await db.$transaction([
    db.assignment.updateMany({
      where: { id: input.assignmentId, lastSeq: { lt: input.seq } },
      data: {
        stage: Stage.DELIVERED,
        mustConcretize: plan.mustConcretize,
        isLeaf: plan.isLeaf,
        directiveVersion: input.directiveVersion,
        ackVersion: 0,
        nextDeadline: new Date(plan.ackPlan.deadline),
        nextReminderAt: firstReminder(plan.ackPlan),
        waitingFor: obligationKeys.ack(input.directiveVersion),
        overdue: false,
        escalationRung: 0,
        failedAt: null,
        failureReason: null,
        attempt: Math.floor(input.seq / ATTEMPT_SEQ_SPAN),
        lastSeq: input.seq,
      },
    }),
    db.timelineEvent.createMany({
      data: [
        {
          id: keys.event(input.assignmentId, input.seq),
          directiveId: input.directiveId,
          assignmentId: input.assignmentId,
          unitCode: input.unitCode,
          type: 'DELIVERED',
          at,
          data: json({ from: input.parentUnitCode, documentId: input.receivedDirectiveId, retried: true }),
        },
      ],
      skipDuplicates: true,
    }),
  ]);
  await planObligation(db, {
    directiveId: input.directiveId,
    ownerId: input.assignmentId,
    unitCode: input.unitCode,
    key: obligationKeys.ack(input.directiveVersion),
    deadline: new Date(plan.ackPlan.deadline),
  });
}

/** A retried run that resumes carried state: its failure is cleared before its first event. */
export async function clearFailure(db: Db, assignmentId: string, seq: number): Promise<void> {
  await db.assignment.updateMany({
    where: { id: assignmentId, lastSeq: { lt: seq } },
    data: { failedAt: null, failureReason: null, attempt: Math.floor(seq / ATTEMPT_SEQ_SPAN) },
  });
}
