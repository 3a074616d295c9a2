/**
 * The cascade's activities: every transition persisted into the read model. Each write is
 * keyed by the workflow's own event sequence (`<assignmentId>#<seq>`), so an activity
 * retried after it wrote writes nothing new.
 */
import type { Db } from '../read-model/db';
import { Prisma } from '../read-model/generated/prisma';
import { businessRejection } from './errors';
import { taskRows } from '../read-model/task-rows';
import { planDelivery, planLadder } from '../domain/deadlines';
import { computeRollup } from '../read-model/rollup';
import type {
  ConcretizeActivityInput,
  ConcretizeResult,
  DeliverInput,
  DeliverResult,
  PersistEventInput,
  PersistResult,
  ReportActivityInput,
  ReportResult,
  UnitRef,
} from '../contract/activities';
import { Stage } from '../contract/definitions';

export interface ActivityDeps {
  db: Db;
}

const json = (v: unknown) => v as Prisma.InputJsonValue;

/** Timestamp columns set by the event that first reaches them. */
const stampFor: Partial<Record<string, string>> = {
  ACKNOWLEDGED: 'acknowledgedAt',
  FORWARDED: 'forwardedAt',
  COMPLETED: 'completedAt',
  REVOKED: 'revokedAt',
};

export function createActivities({ db }: ActivityDeps) {
  async function deliver(input: DeliverInput): Promise<DeliverResult> {
    const unit = await db.unit.findUnique({
      where: { code: input.unitCode },
      select: { name: true, level: true, depth: true, children: { select: { code: true, name: true }, orderBy: { code: 'asc' } } },
    });
    if (!unit) throw businessRejection(`unit ${input.unitCode} does not exist`);
    const { isLeaf, mustConcretize, reportCycles, ackPlan } = planDelivery(input, {
      level: unit.level,
      childCount: unit.children.length,
    });
    const at = new Date(input.at);
    // One statement pair, both no-ops on retry: the assignment id and event id are fixed.
    await db.$transaction([
      db.assignment.createMany({
        data: [
          {
            id: input.assignmentId,
            directiveId: input.directiveId,
            unitCode: input.unitCode,
            level: unit.level,
            depth: unit.depth,
            parentAssignmentId: input.parentAssignmentId,
            parentUnitCode: input.parentUnitCode,
            receivedDirectiveId: input.receivedDirectiveId,
            stage: Stage.DELIVERED,
            mustConcretize,
            isLeaf,
            directiveVersion: input.directiveVersion,
            nextDeadline: new Date(ackPlan.deadline),
            waitingFor: `ack@${input.directiveVersion}`,
            deliveredAt: at,
          },
        ],
        skipDuplicates: true,
      }),
      db.timelineEvent.createMany({
        data: [
          {
            id: `${input.assignmentId}#0`,
            directiveId: input.directiveId,
            assignmentId: input.assignmentId,
            unitCode: input.unitCode,
            type: 'DELIVERED',
            at,
            data: json({ from: input.parentUnitCode, documentId: input.receivedDirectiveId }),
          },
        ],
        skipDuplicates: true,
      }),
    ]);
    return { unitName: unit.name, level: unit.level, isLeaf, mustConcretize, children: unit.children, reportCycles, ackPlan };
  }

  async function persistEvent(input: PersistEventInput): Promise<PersistResult> {
    const plan = input.next ? planLadder(input.next.plan) : undefined;
    const at = new Date(input.at);
    const eventId = `${input.assignmentId}#${input.seq}`;
    await db.$transaction(async (tx) => {
      const inserted = await tx.timelineEvent.createMany({
        data: [
          {
            id: eventId,
            directiveId: input.directiveId,
            assignmentId: input.assignmentId,
            unitCode: input.unitCode,
            type: input.type,
            at,
            data: json(input.data ?? {}),
          },
        ],
        skipDuplicates: true,
      });
      if (inserted.count === 0) return; // a retry of a write that already happened
      const stamp = stampFor[input.type];
      await tx.assignment.update({
        where: { id: input.assignmentId },
        data: {
          ...input.patch,
          ...(input.waitingFor !== undefined ? { waitingFor: input.waitingFor } : {}),
          ...(plan
            ? { nextDeadline: new Date(plan.deadline), overdue: false, escalationRung: 0 }
            : input.waitingFor === null
              ? { nextDeadline: null }
              : {}),
          ...(input.patch?.nextDeadline !== undefined
            ? { nextDeadline: input.patch.nextDeadline ? new Date(input.patch.nextDeadline) : null }
            : {}),
          ...(stamp ? { [stamp]: at } : {}),
          lastSeq: input.seq,
        },
      });
      if (input.resolveEscalations) {
        await tx.escalation.updateMany({
          where: { assignmentId: input.assignmentId, resolvedAt: null },
          data: { resolvedAt: at, resolution: input.resolveEscalations },
        });
      }
      if (input.escalation) {
        const e = input.escalation;
        await tx.escalation.createMany({
          data: [
            {
              id: `${input.assignmentId}/${e.obligation}/${e.rung}`,
              directiveId: input.directiveId,
              assignmentId: input.assignmentId,
              unitCode: input.unitCode,
              obligation: e.obligation,
              rung: e.rung,
              action: e.action,
              targetUnitCode: e.targetUnitCode,
              deadline: new Date(e.deadline),
              firedAt: at,
            },
          ],
          skipDuplicates: true,
        });
      }
      if (input.extension) {
        const x = input.extension;
        const id = `${input.assignmentId}/${x.requestId}`;
        const fields = {
          status: x.status,
          decidedBy: x.decidedBy ?? null,
          decisionNote: x.note ?? null,
          decidedAt: x.status === 'PENDING' ? null : at,
        };
        await tx.extensionRequest.upsert({
          where: { id },
          create: {
            id,
            directiveId: input.directiveId,
            assignmentId: input.assignmentId,
            unitCode: input.unitCode,
            obligation: x.obligation,
            currentDeadline: new Date(x.currentDeadline),
            requestedDeadline: new Date(x.requestedDeadline),
            reason: x.reason,
            requestedAt: at,
            ...fields,
          },
          update: fields,
        });
      }
      if (input.notify?.length) {
        await tx.outboxMessage.createMany({
          data: input.notify.map((n, i) => ({
            id: `${eventId}/${i}`,
            directiveId: input.directiveId,
            kind: n.kind,
            recipientUnit: n.recipientUnit,
            payload: json({ id: `${eventId}/${i}`, kind: n.kind, at: input.at, ...n.payload }),
          })),
          skipDuplicates: true,
        });
      }
    });
    return plan ? { plan } : {};
  }

  async function recordConcretize(input: ConcretizeActivityInput): Promise<ConcretizeResult> {
    const unit = await db.unit.findUnique({ where: { code: input.unitCode }, select: { path: true } });
    if (!unit) throw businessRejection(`unit ${input.unitCode} does not exist`);
    const recipients = await resolveRecipients(db, input.unitCode, unit.path, input.recipients);
    const id = `${input.rootDirectiveId}~${input.unitCode}`;
    const at = new Date(input.at);
    const clash = await db.directive.findUnique({
      where: { issuerCode_number: { issuerCode: input.unitCode, number: input.number } },
      select: { id: true },
    });
    if (clash && clash.id !== id) throw businessRejection(`${input.unitCode} already issued a document numbered ${input.number}`);
    const received = await db.directive.findUnique({ where: { id: input.receivedDirectiveId }, select: { number: true } });
    await db.$transaction(async (tx) => {
      const inserted = await tx.timelineEvent.createMany({
        data: [
          {
            id: `${input.assignmentId}#${input.seq}`,
            directiveId: input.rootDirectiveId,
            assignmentId: input.assignmentId,
            unitCode: input.unitCode,
            type: 'CONCRETIZED',
            at,
            data: json({ documentId: id, number: input.number, recipients: recipients.length }),
          },
        ],
        skipDuplicates: true,
      });
      if (inserted.count === 0) return;
      await tx.directive.create({
        data: {
          id,
          number: input.number,
          kind: 'Kế hoạch',
          title: input.title,
          issuerCode: input.unitCode,
          issuedAt: new Date(input.issuedAt),
          body: input.body ?? null,
          basedOn: received ? [received.number] : [],
          rootId: input.rootDirectiveId,
          parentId: input.receivedDirectiveId,
          recipients: recipients.map((r) => r.code),
          status: 'IMPLEMENTING',
          tasks: {
            create: taskRows(id, input.tasks),
          },
        },
      });
      await tx.assignment.update({
        where: { id: input.assignmentId },
        data: { stage: Stage.CONCRETIZED, implementingDirectiveId: id, concretizedAt: at, lastSeq: input.seq },
      });
    });
    return { implementingDirectiveId: id, recipients };
  }

  async function submitReport(input: ReportActivityInput): Promise<ReportResult> {
    const plan = input.next ? planLadder(input.next.plan) : undefined;
    const at = new Date(input.at);
    const onTime = !input.dueAt || at.getTime() <= Date.parse(input.dueAt);
    const rollup = await computeRollup(db, input.assignmentId, input.cycle);
    await db.$transaction(async (tx) => {
      const inserted = await tx.timelineEvent.createMany({
        data: [
          {
            id: `${input.assignmentId}#${input.seq}`,
            directiveId: input.directiveId,
            assignmentId: input.assignmentId,
            unitCode: input.unitCode,
            type: 'REPORTED',
            at,
            data: json({ cycle: input.cycle, completion: input.completion, onTime }),
          },
        ],
        skipDuplicates: true,
      });
      if (inserted.count === 0) return;
      await tx.report.create({
        data: {
          id: `${input.assignmentId}#c${input.cycle}`,
          directiveId: input.directiveId,
          assignmentId: input.assignmentId,
          unitCode: input.unitCode,
          cycle: input.cycle,
          summary: input.summary,
          completion: input.completion,
          metrics: input.metrics ? json(input.metrics) : Prisma.JsonNull,
          rollup: json(rollup),
          dueAt: input.dueAt ? new Date(input.dueAt) : null,
          submittedAt: at,
          onTime,
        },
      });
      await tx.escalation.updateMany({
        where: { assignmentId: input.assignmentId, resolvedAt: null },
        data: { resolvedAt: at, resolution: 'reported' },
      });
      await tx.assignment.update({
        where: { id: input.assignmentId },
        data: {
          stage: input.stage,
          reportCycle: input.cycle,
          reportedAt: at,
          overdue: false,
          escalationRung: 0,
          waitingFor: input.next?.obligation ?? null,
          nextDeadline: plan ? new Date(plan.deadline) : null,
          ...(input.stage === Stage.COMPLETED ? { completedAt: at } : {}),
          lastSeq: input.seq,
        },
      });
    });
    return { onTime, rollup, ...(plan ? { plan } : {}) };
  }

  /** Names for unit codes, in the given order; unknown codes are a business rejection. */
  async function unitRefs(codes: string[]): Promise<UnitRef[]> {
    const rows = await db.unit.findMany({ where: { code: { in: codes } }, select: { code: true, name: true } });
    const byCode = new Map(rows.map((r) => [r.code, r]));
    const missing = codes.filter((c) => !byCode.has(c));
    if (missing.length) throw businessRejection(`unknown units: ${missing.slice(0, 10).join(', ')}`);
    return codes.map((c) => byCode.get(c)!);
  }

  return { deliver, persistEvent, recordConcretize, submitReport, unitRefs };
}

export type CascadeActivities = ReturnType<typeof createActivities>;

/** Recipients of an implementing document: the given descendants, or the unit's children. */
async function resolveRecipients(db: Db, unitCode: string, unitPath: string, codes?: string[]): Promise<UnitRef[]> {
  if (!codes || codes.length === 0) {
    const children = await db.unit.findMany({ where: { parentCode: unitCode }, select: { code: true, name: true }, orderBy: { code: 'asc' } });
    if (children.length === 0) throw businessRejection(`${unitCode} has no units below it to forward to`);
    return children;
  }
  const unique = [...new Set(codes)];
  const rows = await db.unit.findMany({
    where: { code: { in: unique }, path: { startsWith: unitPath } },
    select: { code: true, name: true },
  });
  const found = new Set(rows.map((r) => r.code));
  const outside = unique.filter((c) => !found.has(c) || c === unitCode);
  if (outside.length) throw businessRejection(`not units below ${unitCode}: ${outside.slice(0, 10).join(', ')}`);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return unique.map((c) => byCode.get(c)!);
}
