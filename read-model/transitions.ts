/**
 * The writes of the cascade's activities: one transaction per workflow transition. Each is
 * keyed by the workflow's own event sequence (`keys.event`), so a retried activity whose
 * first attempt committed writes nothing new; and every assignment update applies only when
 * its sequence is newer than the row's (`lastSeq < seq`), so a write that arrives late or
 * out of order records its event but can never take the row back to an earlier stage.
 */
import type { Db } from './db';
import { Prisma } from './generated/prisma';
import { taskRows } from './task-rows';
import { obligationDone, planObligation, planObligationSql } from './obligations';
import { firstReminder } from './event-record';
import { keys, obligationKeys } from '../contract/ids';
import { Stage } from '../contract/definitions';
import type { ConcretizeActivityInput, DeliverInput, LadderPlan, PersistEventInput, ReportActivityInput, Rollup, UnitRef } from '../contract/activities';

const json = (v: unknown) => v as Prisma.InputJsonValue;

/** Only a newer event than the last applied one may update the assignment row. */
const newerThanRow = (id: string, seq: number) => ({ id, lastSeq: { lt: seq } });

/** What a delivery needs to know about the receiving unit, or null when it does not exist. */
export async function unitForDelivery(
  db: Db,
  code: string,
): Promise<{ name: string; level: string; depth: number; children: UnitRef[] } | null> {
  // One statement, no query compilation: it runs once for every unit of every cascade.
  const rows = await db.$queryRaw<Array<{ name: string; level: string; depth: number; children: UnitRef[] }>>`
    SELECT u.name, u.level, u.depth,
           COALESCE((SELECT json_agg(json_build_object('code', c.code, 'name', c.name,
                                                       'leaf', NOT EXISTS (SELECT 1 FROM "Unit" g WHERE g."parentCode" = c.code))
                                     ORDER BY c.code)
                       FROM "Unit" c WHERE c."parentCode" = u.code), '[]'::json) AS children
      FROM "Unit" u WHERE u.code = ${code}`;
  return rows[0] ?? null;
}

/**
 * The delivery in one statement (it runs once for every unit of a cascade, on the hot path):
 * the assignment, its DELIVERED event (sequence 0) and its acknowledgement obligation. A
 * retried delivery inserts nothing twice and re-plans the same deadline.
 */
export async function recordDelivery(
  db: Db,
  input: DeliverInput,
  unit: { level: string; depth: number },
  plan: { isLeaf: boolean; mustConcretize: boolean; ackPlan: LadderPlan },
): Promise<void> {
  const at = new Date(input.at);
  const deadline = new Date(plan.ackPlan.deadline);
  const reminder = firstReminder(plan.ackPlan);
  const ack = obligationKeys.ack(input.directiveVersion);
  const event = JSON.stringify({ from: input.parentUnitCode, documentId: input.receivedDirectiveId });
  await db.$executeRaw`
    WITH assignment AS (
      INSERT INTO "Assignment" (id, "directiveId", "unitCode", level, depth, "parentAssignmentId", "parentUnitCode",
                                "receivedDirectiveId", stage, "mustConcretize", "isLeaf", "directiveVersion",
                                "nextDeadline", "nextReminderAt", "waitingFor", "deliveredAt", "updatedAt")
      VALUES (${input.assignmentId}, ${input.directiveId}, ${input.unitCode}, ${unit.level}, ${unit.depth},
              ${input.parentAssignmentId}, ${input.parentUnitCode}, ${input.receivedDirectiveId}, ${Stage.DELIVERED},
              ${plan.mustConcretize}, ${plan.isLeaf}, ${input.directiveVersion}, ${deadline}, ${reminder}, ${ack}, ${at}, now())
      ON CONFLICT DO NOTHING
    ), delivered AS (
      INSERT INTO "TimelineEvent" (id, "directiveId", "assignmentId", "unitCode", type, at, data)
      VALUES (${keys.event(input.assignmentId, 0)}, ${input.directiveId}, ${input.assignmentId}, ${input.unitCode},
              'DELIVERED', ${at}, ${event}::jsonb)
      ON CONFLICT DO NOTHING
    )
    ${planObligationSql({ directiveId: input.directiveId, ownerId: input.assignmentId, unitCode: input.unitCode, key: ack, deadline })}`;
}

export { recordEvent } from './event-record';

/** The issuer and number of a document, or null. */
export async function documentNumber(db: Db, id: string): Promise<string | null> {
  return (await db.directive.findUnique({ where: { id }, select: { number: true } }))?.number ?? null;
}

/** The id of the document `issuerCode` numbered `number`, or null. */
export async function documentIdByNumber(db: Db, issuerCode: string, number: string): Promise<string | null> {
  const row = await db.directive.findUnique({
    where: { issuerCode_number: { issuerCode, number } },
    select: { id: true },
  });
  return row?.id ?? null;
}

/** The unit's implementing document as the concretize activity received it, resolved. */
export interface ImplementingDocument extends Omit<ConcretizeActivityInput, 'recipients' | 'taskPolicy'> {
  id: string;
  receivedNumber: string | null;
  recipients: UnitRef[];
}

/** The unit's implementing document, its CONCRETIZED event and the assignment's stage. */
export async function recordImplementingDocument(db: Db, doc: ImplementingDocument): Promise<void> {
  const at = new Date(doc.at);
  await db.$transaction(async (tx) => {
    const inserted = await tx.timelineEvent.createMany({
      data: [
        {
          id: keys.event(doc.assignmentId, doc.seq),
          directiveId: doc.rootDirectiveId,
          assignmentId: doc.assignmentId,
          unitCode: doc.unitCode,
          type: 'CONCRETIZED',
          at,
          data: json({ documentId: doc.id, number: doc.number, recipients: doc.recipients.length, ...(doc.by ? { by: doc.by } : {}) }),
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return;
    await tx.directive.create({
      data: {
        id: doc.id,
        number: doc.number,
        kind: 'Kế hoạch',
        title: doc.title,
        issuerCode: doc.unitCode,
        issuedAt: new Date(doc.issuedAt),
        body: doc.body ?? null,
        basedOn: doc.receivedNumber ? [doc.receivedNumber] : [],
        rootId: doc.rootDirectiveId,
        parentId: doc.receivedDirectiveId,
        recipients: doc.recipients.map((r) => r.code),
        status: 'IMPLEMENTING',
        issuedBy: doc.by ? json(doc.by) : Prisma.JsonNull,
        tasks: { create: taskRows(doc.id, doc.tasks) },
      },
    });
    await tx.assignment.updateMany({
      where: newerThanRow(doc.assignmentId, doc.seq),
      data: { stage: Stage.CONCRETIZED, implementingDirectiveId: doc.id, concretizedAt: at, lastSeq: doc.seq },
    });
    await obligationDone(tx, doc.assignmentId, obligationKeys.concretize, at);
  });
}

/** A report with its rollup, its REPORTED event, its cycle's escalations resolved and the new stage. */
export async function recordReport(
  db: Db,
  input: ReportActivityInput,
  outcome: { onTime: boolean; rollup: Rollup; plan: LadderPlan | undefined },
): Promise<void> {
  const at = new Date(input.at);
  const { plan } = outcome;
  await db.$transaction(async (tx) => {
    const inserted = await tx.timelineEvent.createMany({
      data: [
        {
          id: keys.event(input.assignmentId, input.seq),
          directiveId: input.directiveId,
          assignmentId: input.assignmentId,
          unitCode: input.unitCode,
          type: 'REPORTED',
          at,
          data: json({ cycle: input.cycle, completion: input.completion, onTime: outcome.onTime, ...(input.by ? { by: input.by } : {}) }),
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count === 0) return;
    await tx.report.create({
      data: {
        id: keys.report(input.assignmentId, input.cycle),
        directiveId: input.directiveId,
        assignmentId: input.assignmentId,
        unitCode: input.unitCode,
        cycle: input.cycle,
        summary: input.summary,
        completion: input.completion,
        metrics: input.metrics ? json(input.metrics) : Prisma.JsonNull,
        rollup: json(outcome.rollup),
        dueAt: input.dueAt ? new Date(input.dueAt) : null,
        submittedAt: at,
        onTime: outcome.onTime,
        by: input.by ? json(input.by) : Prisma.JsonNull,
      },
    });
    // The report discharges its own cycle; the last one closes whatever else is open.
    await tx.escalation.updateMany({
      where: { assignmentId: input.assignmentId, resolvedAt: null, obligation: obligationKeys.report(input.cycle) },
      data: { resolvedAt: at, resolution: 'reported' },
    });
    if (input.stage === Stage.COMPLETED) {
      await tx.escalation.updateMany({
        where: { assignmentId: input.assignmentId, resolvedAt: null },
        data: { resolvedAt: at, resolution: 'completed' },
      });
    }
    await tx.assignment.updateMany({
      where: newerThanRow(input.assignmentId, input.seq),
      data: {
        stage: input.stage,
        reportCycle: input.cycle,
        reportedAt: at,
        overdue: false,
        escalationRung: 0,
        waitingFor: input.next?.obligation ?? null,
        nextDeadline: plan ? new Date(plan.deadline) : null,
        nextReminderAt: plan ? firstReminder(plan) : null,
        ...(input.stage === Stage.COMPLETED ? { completedAt: at } : {}),
        lastSeq: input.seq,
      },
    });
    await obligationDone(tx, input.assignmentId, obligationKeys.report(input.cycle), at);
    if (plan && input.next) await planNext(tx, input, input.next.obligation, plan);
  });
}

/** Units by code (code, name, leaf), in no particular order. */
export async function unitsByCode(db: Db, codes: string[]): Promise<UnitRef[]> {
  return db.$queryRaw<UnitRef[]>`
    SELECT u.code, u.name, NOT EXISTS (SELECT 1 FROM "Unit" c WHERE c."parentCode" = u.code) AS leaf
      FROM "Unit" u WHERE u.code = ANY(${codes})`;
}

async function planNext(
  tx: Prisma.TransactionClient,
  owner: { directiveId: string; assignmentId: string; unitCode: string; task?: PersistEventInput['task'] },
  key: string,
  plan: LadderPlan,
): Promise<void> {
  await planObligation(tx, {
    directiveId: owner.directiveId,
    ownerId: owner.assignmentId,
    unitCode: owner.unitCode,
    key,
    deadline: new Date(plan.deadline),
    ...(owner.task ? { taskId: owner.task.taskId, role: owner.task.role } : {}),
  });
}
