/**
 * One unit's part in one task (lead or coordinating unit): for each cycle a deadline with
 * the cascade's escalation ladder, raced against the unit's report; a revocation closes
 * it. Persistence goes through the same idempotent `persistEvent` as assignments, keyed by
 * the part's own id, so its timeline, escalations and obligations live beside theirs.
 */
import * as wf from '@temporalio/workflow';
import { revokeSignal } from '../contract/definitions';
import type { EventType, PersistEventInput } from '../contract/activities';
import { keys } from '../contract/ids';
import {
  taskObligationKey,
  taskPartQuery,
  taskReportUpdate,
  type TaskPartView,
  type TaskPartWorkflowInput,
  type TaskReportInput,
} from '../contract/tasks';
import { nextLadderStep, nextLadderTime, nextReminder, reminderRecord, rungLabel, rungRecord, taskPartAbove, type Ladder } from './ladder';
import { io } from './activity-proxies';
import { notifyClosed } from './propagation';
import { startPatches } from './patches';
import type { Actor } from '../contract/actor';

export async function taskPartWorkflow(input: TaskPartWorkflowInput): Promise<void> {
  const run = startPatches(); // every patch is decided before the first activity (workflows/patches.ts)
  const ownerId = keys.taskPart(input.directiveId, input.taskRef, input.unitCode);
  const task = { taskId: input.taskId, role: input.role };
  let seq = 0;
  let index = 0; // the cycle owed: dueDates[index]
  let ladder: Ladder | null = null;
  const reported: number[] = [];
  let revoked: string | null = null;
  let revokedBy: Actor | undefined;
  let report: TaskReportInput | null = null;
  const closed = () => revoked !== null || index >= input.dueDates.length;
  const key = () => taskObligationKey(input.taskRef, input.role, index + 1);

  const view = (): TaskPartView => ({
    taskRef: input.taskRef,
    unitCode: input.unitCode,
    role: input.role,
    cycle: closed() ? null : index + 1,
    deadline: closed() ? null : (ladder?.deadline ?? null),
    nextReminderAt: closed() ? null : (nextReminder(ladder)?.at ?? null),
    overdue: !closed() && !!ladder && ladder.fired > 0,
    reported: [...reported],
    closed: closed(),
  });

  const record = async (type: EventType, extra: Partial<PersistEventInput> = {}) => {
    seq += 1;
    return io.persistEvent.executeWithOptions({ summary: `record ${type}` }, [
      { assignmentId: ownerId, directiveId: input.directiveId, unitCode: input.unitCode, seq, at: now(), type, task, ...extra },
    ]);
  };

  wf.setHandler(taskPartQuery, view);
  wf.setHandler(
    taskReportUpdate,
    async (act) => {
      report = act;
      await wf.condition(() => report === null || revoked !== null);
      return view();
    },
    {
      validator: (act) => {
        if (act.actorUnitCode !== input.unitCode) fail(`unit ${act.actorUnitCode} cannot act for ${input.unitCode}`);
        if (closed()) fail(revoked !== null ? 'the task was revoked' : 'every cycle of this task is already reported');
        if (report !== null) fail('a report is already being recorded');
        if (!act.summary.trim()) fail('summary is required');
        if (!(act.completion >= 0 && act.completion <= 100)) fail('completion must be between 0 and 100');
      },
    },
  );
  wf.setHandler(revokeSignal, (r) => {
    revoked = r.reason ?? 'revoked by the issuer';
    if (r.by) revokedBy = r.by;
  });

  while (!closed()) {
    if (!ladder) {
      const planned = await record('DEADLINE_SET', {
        data: { task: input.taskRef, role: input.role, cycle: index + 1 },
        next: {
          obligation: key(),
          plan: {
            from: now(),
            dueAt: input.dueDates[index]!,
            escalation: input.escalation,
            calendar: input.calendar,
            ...(run.remindersBeforeDeadline ? { reminders: true } : {}),
          },
        },
      });
      ladder = { obligation: key(), ...planned.plan!, fired: 0 };
    }
    const at = nextLadderTime(ladder);
    const woke = () => report !== null || revoked !== null;
    const acted = at === undefined
      ? await wf.condition(woke).then(() => true)
      : await wf.condition(woke, Math.max(1, Date.parse(at) - Date.now()), { summary: rungLabel(ladder) });
    if (revoked !== null) break;
    if (acted && report) {
      const act: TaskReportInput = report;
      reported.push(index + 1);
      await record('TASK_REPORTED', {
        data: {
          task: input.taskRef,
          role: input.role,
          cycle: index + 1,
          summary: act.summary,
          completion: act.completion,
          ...(act.by ? { by: act.by } : {}),
        },
        obligation: key(),
        resolveEscalations: 'reported',
      });
      index += 1;
      ladder = null;
      report = null;
      continue;
    }
    await fireRung(ladder);
  }
  if (revoked !== null) {
    await record('REVOKED', { data: { reason: revoked, ...(revokedBy ? { by: revokedBy } : {}) }, resolveEscalations: 'revoked' });
    report = null; // an update waiting on it answers with the closed view
  }
  await wf.condition(wf.allHandlersFinished);
  await notifyClosed(input.temporalParentId, wf.workflowInfo().workflowId);

  async function fireRung(l: Ladder): Promise<void> {
    const parties = { unit: input.unitCode, above: taskPartAbove(input), issuer: input.issuerCode };
    const subject = { directiveId: input.directiveId, unitCode: input.unitCode, task: input.taskRef, role: input.role };
    const reminder = nextLadderStep(l)?.reminder;
    if (reminder) {
      const sent = reminderRecord(l, reminder, parties, subject, Date.now());
      l.remindersFired = (l.remindersFired ?? 0) + 1;
      if (sent) await record(sent.type, sent.extra);
      return;
    }
    const { type, extra } = rungRecord(l, input.escalation, parties, subject);
    l.fired += 1;
    await record(type, extra);
  }
}

function fail(reason: string): never {
  throw wf.ApplicationFailure.nonRetryable(reason, 'Rejected');
}

const now = () => new Date(Date.now()).toISOString();
