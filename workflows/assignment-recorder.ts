/**
 * The one path by which an assignment records what happened to it: every write takes the
 * next event sequence (the read model's idempotency key), asks the activity to plan what
 * the unit owes next when that has no deadline yet, applies the planned ladder, wakes the
 * wait loop and shows the new state in the Temporal UI. A failure that is not a business
 * rejection becomes the assignment's incident.
 */
import * as wf from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ConcretizeResult, DeliverResult, EventType, LadderPlan, NextObligation, PersistEventInput } from '../contract/activities';
import type { ConcretizeInput, ReportInput } from '../contract/definitions';
import type { AssignmentWorkflowInput } from '../contract/workflow-inputs';
import { keys } from '../contract/ids';
import * as sa from '../contract/search-attributes';
import * as sm from './assignment-state';
import { incidents, io, local } from './activity-proxies';
import { describeIncident, isIncident } from './incidents';
import { nextReminder } from './ladder';
import type { RunPatches } from './patches';

export class AssignmentRecorder {
  /** Undefined until the delivery is recorded (or carried over from an earlier run). */
  state: sm.AssignmentState | undefined;
  unitName: string;
  level: string;
  /** Bumped on every change, so the wait loop wakes up and re-plans. */
  changes = 0;
  /** Why the engine cannot carry this assignment on; the loop then records FAILED. */
  incident: string | null = null;
  readonly assignmentId: string;

  constructor(
    readonly input: AssignmentWorkflowInput,
    private readonly patches: RunPatches,
  ) {
    this.assignmentId = keys.assignment(input.directiveId, input.unitCode);
    this.state = input.carried?.state;
    this.unitName = input.carried?.unitName ?? input.unitCode;
    this.level = input.carried?.level ?? '';
  }

  /** The state, once delivered; an action before that is rejected. */
  ready(): sm.AssignmentState {
    if (!this.state) throw wf.ApplicationFailure.nonRetryable('the directive is still being delivered', 'Rejected');
    return this.state;
  }

  /** Records one event (a local activity, idempotent by sequence). */
  async record(type: EventType, extra: Partial<PersistEventInput> = {}): Promise<void> {
    const s = this.ready();
    await this.write((seq, next) =>
      local.persistEvent.executeWithOptions({ summary: `record ${type}` }, [
        {
          assignmentId: this.assignmentId,
          directiveId: this.input.directiveId,
          unitCode: this.input.unitCode,
          seq,
          at: now(),
          type,
          waitingFor: sm.currentObligation(s)?.key ?? null,
          ...extra,
          patch: {
            stage: s.stage,
            ackVersion: s.ackVersion,
            directiveVersion: s.directiveVersion,
            overdue: sm.isOverdue(s),
            escalationRung: sm.escalationRung(s),
            nextReminderAt: nextReminder(s.ladder)?.at ?? null,
            ...extra.patch,
          },
          ...(next ? { next } : {}),
        },
      ]),
      // The COMPLETED event an acknowledgement's write records with it takes the next sequence.
      extra.completes ? 2 : 1,
    );
  }

  /**
   * Runs one write: `call` gets the event sequence and the plan request for what the unit
   * owes next (when it has no ladder yet); the ladder it answers is applied.
   */
  async write<R extends { plan?: LadderPlan }>(
    call: (seq: number, next: NextObligation | undefined) => Promise<R>,
    events = 1,
  ): Promise<R> {
    const s = this.ready();
    const seq = s.seq + 1;
    s.seq += events;
    const next = this.nextObligation(s);
    const result = await this.guard(() => call(seq, next));
    if (next && result.plan) s.ladder = { obligation: next.obligation, ...result.plan, fired: 0 };
    this.changes++;
    this.publish();
    return result;
  }

  /** Records the delivery: the unit's assignment, its level rules and its first deadline. */
  async recordDelivery(seq: number): Promise<DeliverResult> {
    const { input } = this;
    return this.guard(() =>
      local.deliver.executeWithOptions({ summary: 'record delivery' }, [
        {
          assignmentId: this.assignmentId,
          directiveId: input.directiveId,
          unitCode: input.unitCode,
          parentAssignmentId: input.parentAssignmentId,
          parentUnitCode: input.parentUnitCode,
          receivedDirectiveId: input.receivedDirectiveId,
          relDepth: input.relDepth,
          policy: input.policy,
          baseCycles: input.baseCycles,
          directiveVersion: input.directiveVersion,
          at: now(),
          ...(seq ? { seq } : {}),
          ...(this.patches.remindersBeforeDeadline ? { reminders: true } : {}),
        },
      ]),
    );
  }

  /**
   * Records the unit's implementing document; its write records the CONCRETIZED event at the
   * next sequence, and the FORWARDED that follows plans what is owed next.
   */
  async recordDocument(act: ConcretizeInput): Promise<ConcretizeResult> {
    const s = this.ready();
    const { input } = this;
    s.seq += 1;
    const seq = s.seq;
    const { policy, baseCycles } = input;
    return this.guard(() =>
      io.recordConcretize.executeWithOptions({ summary: `concretize as ${act.number}` }, [
        {
          assignmentId: this.assignmentId,
          rootDirectiveId: input.directiveId,
          unitCode: input.unitCode,
          seq,
          at: now(),
          number: act.number,
          title: act.title,
          issuedAt: act.issuedAt,
          ...(act.by ? { by: act.by } : {}),
          ...(act.body !== undefined ? { body: act.body } : {}),
          ...(act.tasks ? { tasks: act.tasks } : {}),
          ...(act.recipients ? { recipients: act.recipients } : {}),
          receivedDirectiveId: input.receivedDirectiveId,
          taskPolicy: {
            calendar: policy.calendar,
            ...(policy.coordinatorLeadTime ? { coordinatorLeadTime: policy.coordinatorLeadTime } : {}),
            ...(baseCycles.length ? { until: baseCycles[baseCycles.length - 1]!.dueAt } : {}),
          },
        },
      ]),
    );
  }

  /** Records a report (already applied to the state) with its children's rollup. */
  async recordReport(act: ReportInput, cycle: number, dueAt: string): Promise<void> {
    const s = this.ready();
    const { input } = this;
    await this.write((seq, next) =>
      io.submitReport.executeWithOptions({ summary: `report cycle ${cycle}` }, [
        {
          assignmentId: this.assignmentId,
          directiveId: input.directiveId,
          unitCode: input.unitCode,
          seq,
          at: now(),
          cycle,
          dueAt,
          summary: act.summary,
          completion: act.completion,
          ...(act.metrics ? { metrics: act.metrics } : {}),
          ...(act.by ? { by: act.by } : {}),
          stage: s.stage,
          ...(next ? { next } : {}),
        },
      ]),
    );
  }

  /** Records the incident (FAILED); the issuer is notified. */
  async recordIncident(reason: string, attempt: number): Promise<void> {
    const { input } = this;
    try {
      await incidents.recordIncident.executeWithOptions({ summary: 'record incident' }, [
        { directiveId: input.directiveId, unitCode: input.unitCode, issuerCode: input.issuerCode, reportedBy: 'self', attempt, reason, at: now() },
      ]);
    } catch {
      // The read model itself is what fails: the Temporal UI (Stage = "FAILED") still shows
      // it, and the incident is recorded by the admin's retry or the next attempt.
    }
  }

  /**
   * Runs an activity call. A business rejection goes back to the caller as it is; any other
   * failure (non-retryable, or retries exhausted) is an incident: the loop records FAILED.
   */
  async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      if (isIncident(err)) {
        this.incident ??= describeIncident(err);
        this.changes++;
      }
      throw err;
    }
  }

  /** The plan request for what the unit owes now, when its ladder is not planned yet. */
  private nextObligation(s: sm.AssignmentState): NextObligation | undefined {
    const owed = sm.currentObligation(s);
    if (!owed || s.ladder?.obligation === owed.key) return undefined;
    const { policy } = this.input;
    const override = s.deadlineOverride[owed.key];
    const within = owed.kind === 'ack' ? policy.ackWithin : (policy.concretizeWithin ?? policy.ackWithin);
    return {
      obligation: owed.key,
      plan: {
        from: now(),
        ...(override ? { dueAt: override } : owed.dueAt ? { dueAt: owed.dueAt } : { within }),
        escalation: policy.escalation,
        calendar: policy.calendar,
        ...(this.patches.remindersBeforeDeadline ? { reminders: true } : {}),
      },
    };
  }

  /** The search attributes that say which cascade and unit this is. */
  identity(): SearchAttributeUpdatePair[] {
    const { input } = this;
    return [
      { key: sa.DirectiveId, value: input.directiveId },
      { key: sa.DirectiveNumber, value: input.directiveNumber },
      { key: sa.UnitCode, value: input.unitCode },
      ...(this.level ? [{ key: sa.UnitLevel, value: this.level }] : []),
    ];
  }

  /** One upsert per transition (each is a history event and a visibility write). */
  publish(identity: SearchAttributeUpdatePair[] = []): void {
    const s = this.ready();
    const owed = sm.currentObligation(s);
    const deadline = owed && s.ladder?.obligation === owed.key ? s.ladder.deadline : null;
    wf.upsertSearchAttributes([
      ...identity,
      { key: sa.Stage, value: s.stage },
      { key: sa.Overdue, value: sm.isOverdue(s) },
      { key: sa.EscalationRung, value: sm.escalationRung(s) },
      { key: sa.NextDeadline, value: deadline ? new Date(deadline) : null },
    ]);
    wf.setCurrentDetails(sm.describeWaiting(s, this.unitName));
  }
}

/** The workflow's clock, as persisted timestamps. */
export const now = (): string => new Date(Date.now()).toISOString();
