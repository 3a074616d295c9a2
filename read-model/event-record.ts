/**
 * One workflow transition recorded as ONE SQL statement: its timeline event, the assignment
 * row, its obligations, escalations, extension request and notifications. Every unit
 * action and every deadline passes here, so it skips Prisma's query compiler (a profile of
 * the national benchmark put Prisma at a third of the worker's main thread) and needs no
 * interactive transaction: a statement is atomic by itself.
 *
 * The writes are data-modifying CTEs gated on the event's insert: a retried activity whose
 * first attempt committed inserts no event, so nothing else is written (`keys.event` is the
 * idempotency key). CTEs share one snapshot and none sees another's rows, so the statement
 * is built so that no two of them touch the same row (see `obligationWrites`, `resolution`).
 */
import type { Db } from './db';
import { Prisma } from './generated/prisma';
import { obligationId, planObligationSql } from './obligations';
import { keys } from '../contract/ids';
import type { LadderPlan, PersistEventInput } from '../contract/activities';
import type { Actor } from '../contract/actor';

/** Timestamp columns set by the event that reaches them. */
const stampFor: Partial<Record<string, string>> = {
  ACKNOWLEDGED: 'acknowledgedAt',
  FORWARDED: 'forwardedAt',
  COMPLETED: 'completedAt',
  REVOKED: 'revokedAt',
};

/** When a freshly planned ladder sends its first reminder, or null. */
export function firstReminder(plan: LadderPlan): Date | null {
  return plan.reminders?.[0] ? new Date(plan.reminders[0].at) : null;
}

/** True when the statement's event was inserted now (not a retry of a committed write). */
const FRESH = Prisma.sql`EXISTS (SELECT 1 FROM fresh)`;

export async function recordEvent(db: Db, input: PersistEventInput, plan: LadderPlan | undefined): Promise<void> {
  await db.$executeRaw(recordEventSql(input, plan));
}

/** The statement of {@link recordEvent}. */
function recordEventSql(input: PersistEventInput, plan: LadderPlan | undefined): Prisma.Sql {
  if (input.escalation && input.resolveEscalations) {
    // Sequential writes would resolve the escalation just fired; one statement would not.
    throw new Error('an event that fires an escalation does not resolve escalations');
  }
  const at = new Date(input.at);
  const events = [Prisma.sql`(${keys.event(input.assignmentId, input.seq)}, ${input.type}, ${JSON.stringify(input.data ?? {})})`];
  if (input.completes) events.push(Prisma.sql`(${keys.event(input.assignmentId, input.seq + 1)}, 'COMPLETED', '{}')`);
  const writes = [
    assignmentWrite(input, plan, at),
    ...obligationWrites(input, plan, at),
    ...(input.escalation ? [escalationWrite(input, input.escalation, at)] : []),
    ...(input.extension ? [extensionWrite(input, input.extension, at)] : []),
    ...(input.resolveEscalations || input.completes ? [resolution(input, at)] : []),
    ...(input.notify ?? []).map((n, i) => outboxWrite(input, n, i)),
  ];
  return Prisma.sql`
    WITH fresh AS (
      INSERT INTO "TimelineEvent" (id, "directiveId", "assignmentId", "unitCode", type, at, data)
      SELECT e.id, ${input.directiveId}, ${input.assignmentId}, ${input.unitCode}, e.type, ${at}, e.data::jsonb
        FROM (VALUES ${Prisma.join(events)}) AS e(id, type, data)
      ON CONFLICT DO NOTHING
      RETURNING id
    ), ${Prisma.join(
      writes.map((w, i) => Prisma.sql`${Prisma.raw(`w${i}`)} AS (${w})`),
      ', ',
    )}
    SELECT count(*) FROM fresh`;
}

/** The assignment row, only if this event is newer than the last one applied to it. */
function assignmentWrite(input: PersistEventInput, plan: LadderPlan | undefined, at: Date): Prisma.Sql {
  const { patch = {} } = input;
  const set = new Map<string, unknown>();
  for (const column of ['stage', 'ackVersion', 'directiveVersion', 'overdue', 'escalationRung', 'reportCycle', 'waitingFor'] as const) {
    if (patch[column] !== undefined) set.set(column, patch[column]);
  }
  if (input.waitingFor !== undefined) set.set('waitingFor', input.waitingFor);
  if (patch.nextReminderAt !== undefined) set.set('nextReminderAt', patch.nextReminderAt ? new Date(patch.nextReminderAt) : null);
  if (plan) {
    set.set('nextDeadline', new Date(plan.deadline));
    set.set('nextReminderAt', firstReminder(plan));
    set.set('overdue', false);
    set.set('escalationRung', 0);
  } else if (input.waitingFor === null) {
    set.set('nextDeadline', null);
    set.set('nextReminderAt', null);
  }
  if (patch.nextDeadline !== undefined) set.set('nextDeadline', patch.nextDeadline ? new Date(patch.nextDeadline) : null);
  const stamp = stampFor[input.type];
  if (stamp) set.set(stamp, at);
  if (input.completes) set.set('completedAt', at);
  const lastSeq = input.completes ? input.seq + 1 : input.seq;
  const assignments = [...set].map(([column, value]) => Prisma.sql`${Prisma.raw(`"${column}"`)} = ${value}`);
  return Prisma.sql`
    UPDATE "Assignment" SET ${Prisma.join([...assignments, Prisma.sql`"lastSeq" = ${lastSeq}`, Prisma.sql`"updatedAt" = now()`])}
     WHERE id = ${input.assignmentId} AND "lastSeq" < ${input.seq} AND ${FRESH}`;
}

/**
 * What the event does to the unit's obligations: done, no longer owed, newly planned. The
 * planned one is kept out of the other two, so no row is written twice in the statement.
 */
function obligationWrites(input: PersistEventInput, plan: LadderPlan | undefined, at: Date): Prisma.Sql[] {
  const owner = input.assignmentId;
  const next = plan && input.next ? obligationId(owner, input.next.obligation) : null;
  const notNext = next ? Prisma.sql`AND id <> ${next}` : Prisma.empty;
  const open = Prisma.sql`"doneAt" IS NULL AND "cancelledAt" IS NULL ${notNext} AND ${FRESH}`;
  const writes: Prisma.Sql[] = [];
  if ((input.type === 'ACKNOWLEDGED' || input.type === 'TASK_REPORTED') && input.obligation) {
    writes.push(Prisma.sql`UPDATE "Obligation" SET "doneAt" = ${at} WHERE id = ${obligationId(owner, input.obligation)} AND ${open}`);
  }
  if (input.type === 'AMENDED' && input.obligation) {
    writes.push(Prisma.sql`
      UPDATE "Obligation" SET "cancelledAt" = ${at}, "cancelReason" = 'superseded'
       WHERE "ownerId" = ${owner} AND key = ${input.obligation} AND ${open}`);
  }
  if (input.type === 'REVOKED') {
    writes.push(Prisma.sql`UPDATE "Obligation" SET "cancelledAt" = ${at}, "cancelReason" = 'revoked' WHERE "ownerId" = ${owner} AND ${open}`);
  }
  if (plan && input.next) {
    const planned = {
      directiveId: input.directiveId,
      ownerId: owner,
      unitCode: input.unitCode,
      key: input.next.obligation,
      deadline: new Date(plan.deadline),
      ...(input.task ? { taskId: input.task.taskId, role: input.task.role } : {}),
    };
    writes.push(planObligationSql(planned, FRESH));
  }
  return writes;
}

function escalationWrite(input: PersistEventInput, e: NonNullable<PersistEventInput['escalation']>, at: Date): Prisma.Sql {
  const id = keys.escalation(input.assignmentId, e.obligation, new Date(e.deadline).toISOString(), e.rung);
  return Prisma.sql`
    INSERT INTO "Escalation" (id, "directiveId", "assignmentId", "unitCode", obligation, rung, action, "targetUnitCode", deadline, "firedAt")
    SELECT ${id}, ${input.directiveId}, ${input.assignmentId}, ${input.unitCode}, ${e.obligation}, ${e.rung}, ${e.action},
           ${e.targetUnitCode}, ${new Date(e.deadline)}, ${at}
     WHERE ${FRESH}
    ON CONFLICT DO NOTHING`;
}

function extensionWrite(input: PersistEventInput, x: NonNullable<PersistEventInput['extension']>, at: Date): Prisma.Sql {
  const decidedAt = x.status === 'PENDING' ? null : at;
  return Prisma.sql`
    INSERT INTO "ExtensionRequest" (id, "directiveId", "assignmentId", "unitCode", obligation, "currentDeadline", "requestedDeadline",
                                    reason, "requestedAt", status, "decidedBy", "decisionNote", "decidedAt", "requestedBy", "decisionBy")
    SELECT ${keys.extensionRequest(input.assignmentId, x.requestId)}, ${input.directiveId}, ${input.assignmentId}, ${input.unitCode},
           ${x.obligation}, ${new Date(x.currentDeadline)}, ${new Date(x.requestedDeadline)}, ${x.reason}, ${at},
           ${x.status}, ${x.decidedBy ?? null}, ${x.note ?? null}, ${decidedAt},
           ${actorJson(x.requestedBy)}::jsonb, ${actorJson(x.decisionBy)}::jsonb
     WHERE ${FRESH}
    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, "decidedBy" = EXCLUDED."decidedBy",
                                   "decisionNote" = EXCLUDED."decisionNote", "decidedAt" = EXCLUDED."decidedAt",
                                   "decisionBy" = EXCLUDED."decisionBy"`;
}

/** An actor as a jsonb parameter; SQL NULL when the event names none. */
const actorJson = (actor: Actor | undefined): string | null => (actor ? JSON.stringify(actor) : null);

/**
 * The open escalations the event resolves. A decision resolves only its own obligation's (the
 * stored request knows which: a stale decision must not mark the current one "extended");
 * otherwise `obligation`'s when given, else all. An event that also completes the assignment
 * resolves `obligation`'s with its own resolution and every other open one as "completed",
 * in the same UPDATE, so no row is resolved twice.
 */
function resolution(input: PersistEventInput, at: Date): Prisma.Sql {
  const own = input.resolveEscalations ?? 'completed';
  let scope = Prisma.empty;
  let resolved = Prisma.sql`${own}`;
  if (input.completes) {
    if (input.obligation) resolved = Prisma.sql`CASE WHEN obligation = ${input.obligation} THEN ${own} ELSE 'completed' END`;
  } else if (input.extension) {
    const id = keys.extensionRequest(input.assignmentId, input.extension.requestId);
    scope = Prisma.sql`AND obligation = COALESCE((SELECT obligation FROM "ExtensionRequest" WHERE id = ${id}), ${input.extension.obligation})`;
  } else if (input.obligation) scope = Prisma.sql`AND obligation = ${input.obligation}`;
  return Prisma.sql`
    UPDATE "Escalation" SET "resolvedAt" = ${at}, resolution = ${resolved}
     WHERE "assignmentId" = ${input.assignmentId} AND "resolvedAt" IS NULL ${scope} AND ${FRESH}`;
}

function outboxWrite(input: PersistEventInput, n: NonNullable<PersistEventInput['notify']>[number], i: number): Prisma.Sql {
  const id = keys.outboxMessage(keys.event(input.assignmentId, input.seq), i);
  const payload = JSON.stringify({ id, kind: n.kind, at: input.at, ...n.payload });
  return Prisma.sql`
    INSERT INTO "OutboxMessage" (id, "directiveId", kind, "recipientUnit", payload)
    SELECT ${id}, ${input.directiveId}, ${n.kind}, ${n.recipientUnit}, ${payload}::jsonb
     WHERE ${FRESH}
    ON CONFLICT DO NOTHING`;
}
