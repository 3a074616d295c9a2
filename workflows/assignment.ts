/**
 * One unit's copy of a cascade as a small class: its state, its lock, its children and the
 * messages waiting to be applied, with one method per action (in the style of the
 * `ClusterManager` of Temporal's safe-message-handlers sample). The rules live in the pure
 * state machine (assignment-state.ts); this class runs them against durable time and
 * records each transition through activities. assignment-workflow.ts wires it up.
 */
import * as wf from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import {
  Stage,
  type AcknowledgeInput,
  type AmendInput,
  type AssignmentView,
  type ConcretizeInput,
  type ExtensionDecisionInput,
  type ExtensionRequestInput,
  type ReportCycle,
  type ReportInput,
  type RevokeInput,
  amendSignal,
  assignmentPolicy,
  revokeSignal,
} from '../contract/definitions';
import type { EventType, NextObligation, PersistEventInput, UnitRef } from '../contract/activities';
import { ATTEMPT_SEQ_SPAN, type AssignmentWorkflowInput, type CarriedAssignment, type ChildTemplate } from '../contract/workflow-inputs';
import { keys, obligationKeys } from '../contract/ids';
import * as sa from '../contract/search-attributes';
import * as sm from './assignment-state';
import { fanOut, startTaskParts } from './fanout';
import { ChildSet, askForCloseNotice, closeNotice, forwardSignal } from './propagation';
import { incidents, io, local } from './activity-proxies';
import { describeIncident, isIncident, recordLostChild, watchChild } from './incidents';
import {
  PATCHES,
  childPolicyOnly,
  localRecords,
  patchedInRun,
  relayAfterAnswer,
  startPatches,
  waveGrowth,
  type StartPatches,
} from './patches';
import { Lock } from './lock';

/** Why the wait loop stopped with the assignment still open. */
export type LoopExit = 'closed' | 'continue-as-new';

/** Carried state this worker writes (see CarriedAssignment). */
const CARRIED_VERSION = 2;

export class Assignment {
  readonly lock = new Lock();
  private state: sm.AssignmentState | undefined;
  /** Shares its array with `state.openChildren`, so what it tracks is carried state. */
  readonly children: ChildSet;
  private unitName: string;
  private level: string;
  /** Bumped on every change, so the wait loop wakes up and re-plans. */
  private changes = 0;
  /** Set when a report cycle closes: a natural point to continue-as-new. */
  private cycleClosed = false;
  private pendingAmendment: AmendInput | null = null;
  /** The units a relaying level passes the document to when it acknowledges. */
  private relayTo: UnitRef[] | null = null;
  /** Acknowledged, answered, and not yet passed on: the wait loop relays next. */
  private relayDue = false;
  /** Patches decided once, at the start of the run, before any local activity. */
  private readonly patches: StartPatches;
  revokeReason: string | null = null;
  /** Set once revocation has been passed to the children (they need it exactly once). */
  private revokeForwarded = false;
  /** The activity that recorded the completion told the parent (run-start-v4): no signal. */
  parentTold = false;
  /**
   * Whether this run must signal childClosed when it closes: always, unless its parent reads
   * its result (`closeNotice: 'on-request'`, run-start-v6) and no later run of the parent
   * has asked for the signal.
   */
  private noticeOwed: boolean;
  /** Why the engine cannot carry this assignment on; the loop then records FAILED. */
  private incident: string | null = null;
  private readonly attempt: number;
  private readonly assignmentId: string;
  private readonly self: string;

  constructor(private readonly input: AssignmentWorkflowInput) {
    this.patches = startPatches();
    this.self = wf.workflowInfo().workflowId;
    this.assignmentId = keys.assignment(input.directiveId, input.unitCode);
    this.attempt = input.attempt ?? 0;
    const carried: CarriedAssignment | undefined = input.carried;
    this.state = carried?.state;
    this.children = new ChildSet(carried?.state.openChildren ?? []);
    this.unitName = carried?.unitName ?? input.unitCode;
    this.level = carried?.level ?? '';
    // Messages a previous run received but had not applied when it continued-as-new.
    if (carried?.pending?.revokeReason !== undefined) this.revokeReason = carried.pending.revokeReason;
    if (carried?.pending?.amendment) this.pendingAmendment = carried.pending.amendment;
    this.noticeOwed = input.closeNotice !== 'on-request' || carried?.noticeRequested === true;
  }

  // ---- Reading ----

  /** False when the delivery itself failed (an incident before any state existed). */
  get delivered(): boolean {
    return this.state !== undefined;
  }

  /** The state, once delivered; an action before that is rejected. */
  ready(): sm.AssignmentState {
    if (!this.state) throw wf.ApplicationFailure.nonRetryable('the directive is still being delivered', 'Rejected');
    return this.state;
  }

  view(): AssignmentView {
    return sm.view(this.ready(), {
      assignmentId: this.assignmentId,
      directiveId: this.input.directiveId,
      unitCode: this.input.unitCode,
    });
  }

  /** What a continued run carries over, with the messages not yet applied. */
  carried(): CarriedAssignment {
    const base = { state: this.ready(), unitName: this.unitName, level: this.level };
    if (!patchedInRun(this.patches, PATCHES.carryPendingMessages)) return base;
    const pending: NonNullable<CarriedAssignment['pending']> = {};
    if (this.revokeReason !== null) pending.revokeReason = this.revokeReason;
    if (this.pendingAmendment) pending.amendment = this.pendingAmendment;
    const asked = this.noticeOwed && this.input.closeNotice === 'on-request';
    return { version: CARRIED_VERSION, ...base, pending, ...(asked ? { noticeRequested: true as const } : {}) };
  }

  // ---- Validators: a reason string rejects the action before it enters history. ----

  validateAcknowledge = (act: AcknowledgeInput) => sm.validateAcknowledge(this.ready(), this.input.unitCode, act);
  validateConcretize = (act: ConcretizeInput) => sm.validateConcretize(this.ready(), this.input.unitCode, act);
  validateReport = (act: ReportInput) => sm.validateReport(this.ready(), this.input.unitCode, act);
  validateExtensionRequest = (act: ExtensionRequestInput) =>
    sm.validateExtensionRequest(this.ready(), this.input.unitCode, act);
  validateExtensionDecision = (act: ExtensionDecisionInput) =>
    sm.validateExtensionDecision(this.ready(), this.input.parentUnitCode, act);

  // ---- Unit actions (run under the lock, after their validator accepted) ----

  async acknowledge(act: AcknowledgeInput): Promise<AssignmentView> {
    const s = this.ready();
    sm.applyAcknowledge(s);
    const relayNow = sm.relays(s) && !s.forwarded && this.input.policy.relay === 'on_acknowledge';
    // The unit's last duty (every leaf's, with no reports owed): acknowledged and completed
    // in one write, rather than a second record right behind the first.
    const completes = this.patches.v4 && !relayNow && sm.dutiesDone(s);
    // Only in runs started with run-start-v4 (their histories replay): with nobody below, the
    // same write told the parent, and the run closed in this task. Withdrawn by v5: the task
    // can be refused after the activity ran (see PATCHES.runStartV5).
    const tellParent = completes && !this.patches.v5 && this.children.size === 0;
    if (completes) s.stage = Stage.COMPLETED;
    await this.record('ACKNOWLEDGED', {
      data: { note: act.note ?? null, version: s.ackVersion },
      resolveEscalations: 'acknowledged',
      obligation: obligationKeys.ack(s.ackVersion),
      ...(completes ? { completes: true, patch: { overdue: false } } : {}),
      ...(tellParent ? { closedNotice: { parentWorkflowId: this.input.temporalParentId, workflowId: this.self } } : {}),
    });
    if (tellParent) this.parentTold = true;
    if (completes) return this.view();
    if (relayNow) {
      // A relaying level passes the document on once it has taken note of it.
      if (relayAfterAnswer(this.patches)) {
        // The unit's answer does not wait for the fan-out below it (a province starts
        // hundreds of units, longer than an HTTP caller waits): the loop relays next.
        this.relayDue = true;
        return this.view();
      }
      await this.relayAcknowledged();
    }
    if (sm.dutiesDone(s)) await this.complete();
    return this.view();
  }

  /** Passes the received document to the units below: a relaying level that acknowledged. */
  private async relayAcknowledged(): Promise<void> {
    await this.forward(await this.relayTargets(), this.input.receivedDirectiveId, this.input.documentNumber);
  }

  /** The units a relaying level passes the document to (known since delivery, or looked up). */
  private async relayTargets(): Promise<UnitRef[]> {
    const children =
      this.relayTo ??
      (await this.guard(() => io.childrenOf.executeWithOptions({ summary: 'look up units below' }, [this.input.unitCode])));
    this.relayTo = null;
    return children;
  }

  /**
   * A relaying level passes the received document on under the lock: all at once in runs
   * before run-start-v7; since, letting the unit's own actions (its acknowledgement) in
   * between the waves of starts, so that a province's answer does not wait for ~100 of them.
   * `targets` is read under the lock and says null when there is nothing to relay any more.
   */
  private async relayUnderLock(targets: () => UnitRef[] | null | Promise<UnitRef[] | null>): Promise<void> {
    const { input } = this;
    const relay = async (letIn?: () => Promise<void>) => {
      const to = await targets();
      if (to) await this.forward(to, input.receivedDirectiveId, input.documentNumber, letIn);
    };
    if (this.patches.v7) await this.lock.runInSteps(relay);
    else await this.lock.run(() => relay());
  }

  async concretize(act: ConcretizeInput): Promise<AssignmentView> {
    const s = this.ready();
    const { input } = this;
    s.seq += 1;
    const doc = await this.guard(() => io.recordConcretize.executeWithOptions({ summary: `concretize as ${act.number}` }, [
      {
        assignmentId: this.assignmentId,
        rootDirectiveId: input.directiveId,
        unitCode: input.unitCode,
        seq: s.seq,
        at: now(),
        number: act.number,
        title: act.title,
        issuedAt: act.issuedAt,
        ...(act.body !== undefined ? { body: act.body } : {}),
        ...(act.tasks ? { tasks: act.tasks } : {}),
        ...(act.recipients ? { recipients: act.recipients } : {}),
        receivedDirectiveId: input.receivedDirectiveId,
        taskPolicy: {
          calendar: input.policy.calendar,
          ...(input.policy.coordinatorLeadTime ? { coordinatorLeadTime: input.policy.coordinatorLeadTime } : {}),
          ...(input.baseCycles.length ? { until: input.baseCycles[input.baseCycles.length - 1]!.dueAt } : {}),
        },
      },
    ]));
    sm.applyConcretize(s, doc.implementingDirectiveId);
    await this.forward(doc.recipients, doc.implementingDirectiveId, act.number);
    if (doc.taskParts?.length) {
      // The plan's tasks: each lead and coordinating unit owes its part by its own deadline.
      const parts = await startTaskParts({
        template: {
          directiveId: input.directiveId,
          directiveNumber: input.directiveNumber,
          issuerCode: input.issuerCode,
          escalation: input.policy.escalation,
          calendar: input.policy.calendar,
        },
        parts: doc.taskParts,
        selfWorkflowId: this.self,
        onStarted: (childId, result) => watchChild(result, (err) => this.childLost(childId, err)),
      });
      this.children.added(parts);
    }
    if (sm.dutiesDone(s)) await this.complete();
    return this.view();
  }

  async report(act: ReportInput): Promise<AssignmentView> {
    const s = this.ready();
    const { input } = this;
    const owed = sm.currentObligation(s)!;
    const cycle: ReportCycle = { cycle: owed.cycle!, dueAt: owed.dueAt! };
    const dueAt = s.deadlineOverride[owed.key] ?? cycle.dueAt;
    sm.applyReport(s, cycle.cycle);
    if (sm.dutiesDone(s)) s.stage = Stage.COMPLETED;
    s.seq += 1;
    const next = this.nextObligation(s);
    const result = await this.guard(() => io.submitReport.executeWithOptions({ summary: `report cycle ${cycle.cycle}` }, [
      {
        assignmentId: this.assignmentId,
        directiveId: input.directiveId,
        unitCode: input.unitCode,
        seq: s.seq,
        at: now(),
        cycle: cycle.cycle,
        dueAt,
        summary: act.summary,
        completion: act.completion,
        ...(act.metrics ? { metrics: act.metrics } : {}),
        stage: s.stage,
        ...(next ? { next } : {}),
      },
    ]));
    if (next && result.plan) s.ladder = { obligation: next.obligation, ...result.plan, fired: 0 };
    this.cycleClosed = true;
    this.changes++;
    this.publish();
    return this.view();
  }

  async requestExtension(act: ExtensionRequestInput): Promise<AssignmentView> {
    const s = this.ready();
    const ladder = s.ladder!;
    const request = {
      requestId: act.requestId,
      obligation: ladder.obligation,
      currentDeadline: ladder.deadline,
      requestedDeadline: new Date(act.requestedDeadline).toISOString(),
      reason: act.reason,
      status: 'PENDING' as const,
    };
    s.extensions.push(request);
    await this.record('EXTENSION_REQUESTED', {
      extension: request,
      data: { requestId: act.requestId, requestedDeadline: request.requestedDeadline },
      notify: [
        {
          kind: 'extension_requested',
          recipientUnit: this.input.parentUnitCode,
          payload: { directiveId: this.input.directiveId, unitCode: this.input.unitCode, ...request },
        },
      ],
    });
    return this.view();
  }

  async decideExtension(act: ExtensionDecisionInput): Promise<AssignmentView> {
    const decided = sm.applyExtensionDecision(this.ready(), act);
    await this.record('EXTENSION_DECIDED', {
      extension: { ...decided, decidedBy: act.actorUnitCode },
      data: { requestId: act.requestId, approve: act.approve },
      ...(act.approve ? { resolveEscalations: 'extended' } : {}),
      notify: [
        {
          kind: act.approve ? 'extension_approved' : 'extension_rejected',
          recipientUnit: this.input.unitCode,
          payload: { directiveId: this.input.directiveId, ...decided },
        },
      ],
    });
    return this.view();
  }

  // ---- Messages from above and below ----

  // Before the forward-once patch, the handlers forwarded at once and the loop forwarded
  // again: every child got each message twice (2,000 signals for 1,000 children: the
  // server's limit), and children being started by a fan-out in flight got none. Now the
  // loop forwards once, under the lock, after any fan-out in flight has finished.

  amend(amend: AmendInput): void {
    if (!patchedInRun(this.patches, PATCHES.forwardOnce)) forwardSignal(this.children.ids, amendSignal, amend);
    if (!this.pendingAmendment || amend.version > this.pendingAmendment.version) this.pendingAmendment = amend;
    this.changes++;
  }

  revoke(revoke: RevokeInput): void {
    if (!patchedInRun(this.patches, PATCHES.forwardOnce)) forwardSignal(this.children.ids, revokeSignal, revoke);
    this.revokeReason = revoke.reason ?? 'revoked by the issuer';
    this.changes++;
  }

  /** A later run of the parent cannot read this run's result: it wants childClosed. */
  noticeRequested(): void {
    this.noticeOwed = true;
  }

  /** Tells the parent this run closes, when it is owed (see closeNotice). */
  async closing(): Promise<void> {
    if (this.parentTold) return;
    await closeNotice({
      owed: () => this.noticeOwed,
      parentWorkflowId: this.input.temporalParentId,
      selfId: this.self,
      pause: true,
    });
  }

  childClosed(childId: string): void {
    this.children.closed(childId);
    // Waking the loop re-created the deadline timer for every closing child; nothing the
    // loop waits on depends on children (waitForChildren watches them itself).
    if (!patchedInRun(this.patches, PATCHES.quietChildClose)) this.changes++;
  }

  /** A child that failed, was terminated or timed out: recorded as an incident, then closed. */
  private async childLost(childId: string, err: unknown): Promise<void> {
    await recordLostChild(this.input, childId, err);
    this.children.closed(childId);
  }

  // ---- Lifecycle ----

  /** Records the delivery (a fresh run only) and relays at once when this level relays. */
  async deliver(): Promise<void> {
    const { input } = this;
    const firstSeq = this.attempt * ATTEMPT_SEQ_SPAN;
    if (this.state) {
      if (this.patches.v6 && this.children.size > 0) {
        // Children another run started: this run cannot read their results. Each is asked
        // for childClosed; one that cannot be signalled any more has closed meanwhile.
        for (const gone of await askForCloseNotice([...this.children.ids])) this.children.closed(gone);
      }
      if (this.attempt > 0 && this.state.seq < firstSeq) {
        // An admin retry resuming carried state: the read model learns it is alive again.
        this.state.seq = firstSeq;
        await this.lock.run(() => this.record('RETRIED', { data: { attempt: this.attempt } }));
      } else this.publish(); // a continued run: show the carried state at once
      return;
    }
    const delivered = await this.guard(() =>
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
          ...(firstSeq ? { seq: firstSeq } : {}),
        },
      ]),
    );
    this.unitName = delivered.unitName;
    this.level = delivered.level;
    const state = sm.initialState({
      isLeaf: delivered.isLeaf,
      mustConcretize: delivered.mustConcretize,
      directiveVersion: input.directiveVersion,
      reportCycles: delivered.reportCycles,
    });
    state.seq = firstSeq;
    state.openChildren = this.children.ids;
    state.ladder = { obligation: obligationKeys.ack(input.directiveVersion), ...delivered.ackPlan, fired: 0 };
    this.state = state;
    this.publish(this.identity());
    if (sm.relays(state)) {
      if ((input.policy.relay ?? 'on_delivery') === 'on_delivery') {
        await this.relayUnderLock(() => delivered.children);
      } else this.relayTo = delivered.children; // passed on when the unit acknowledges
    }
  }

  /** The search attributes that say which cascade and unit this is. */
  private identity(): SearchAttributeUpdatePair[] {
    const { input } = this;
    return [
      { key: sa.DirectiveId, value: input.directiveId },
      { key: sa.DirectiveNumber, value: input.directiveNumber },
      { key: sa.UnitCode, value: input.unitCode },
      ...(this.level ? [{ key: sa.UnitLevel, value: this.level }] : []),
    ];
  }

  /**
   * The incident: recorded as FAILED in the read model (the issuer is notified), shown in
   * the Temporal UI, and the assignment closes so that its forwarder and the cascade still
   * close. Units already below it keep their own assignments and still hear revocation.
   */
  async fail(): Promise<void> {
    const reason = this.incident ?? 'unknown incident';
    const { input } = this;
    if (this.state) this.state.stage = Stage.FAILED;
    const fresh = !this.state;
    wf.upsertSearchAttributes([
      ...(fresh ? this.identity() : []),
      { key: sa.Stage, value: Stage.FAILED },
      { key: sa.Overdue, value: false },
      { key: sa.EscalationRung, value: 0 },
      { key: sa.NextDeadline, value: null },
    ]);
    wf.setCurrentDetails(
      `**FAILED** (incident): ${reason}\n\nAn admin can retry: POST /api/v1/directives/${input.directiveId}/units/${input.unitCode}/retry`,
    );
    try {
      await incidents.recordIncident.executeWithOptions({ summary: 'record incident' }, [
        {
          directiveId: input.directiveId,
          unitCode: input.unitCode,
          issuerCode: input.issuerCode,
          reportedBy: 'self',
          attempt: this.attempt,
          reason,
          at: now(),
        },
      ]);
    } catch {
      // The read model itself is what fails: the Temporal UI (Stage = "FAILED") still shows
      // it, and the incident is recorded by the admin's retry or the next attempt.
    }
  }

  /** The wait loop: deadlines raced against unit actions and messages. */
  async run(): Promise<LoopExit | 'failed'> {
    const s = this.ready();
    // Before this patch a report that closed a cycle continued-as-new ahead of a revocation
    // or amendment received in the same activation, and the new run never saw it.
    const messagesFirst = patchedInRun(this.patches, PATCHES.messagesBeforeContinueAsNew);
    while (!sm.isClosed(s)) {
      if (this.incident !== null) return 'failed';
      if (!messagesFirst && this.cycleClosed && s.reportCycles.length > s.reportsSubmitted.length) return 'continue-as-new';
      if (this.revokeReason !== null) {
        const reason = this.revokeReason;
        if (!patchedInRun(this.patches, PATCHES.forwardOnce)) {
          // Again here: children started while the signal was in flight must hear it too.
          forwardSignal(s.openChildren, revokeSignal, { reason });
        }
        await this.lock.run(async () => {
          this.forwardRevocation();
          // Seen outside the lock: an action that held it may have closed the assignment.
          if (patchedInRun(this.patches, PATCHES.recheckUnderLock) && sm.isClosed(s)) return;
          s.stage = Stage.REVOKED;
          await this.record('REVOKED', { data: { reason }, resolveEscalations: 'revoked', patch: { overdue: false } });
        });
        break;
      }
      if (this.pendingAmendment) {
        const amend: AmendInput = this.pendingAmendment;
        this.pendingAmendment = null;
        const once = patchedInRun(this.patches, PATCHES.forwardOnce);
        if (!once) forwardSignal(s.openChildren, amendSignal, amend);
        await this.lock.run(async () => {
          // Under the lock: children a fan-out in flight was starting are in the list now.
          if (once) forwardSignal(s.openChildren, amendSignal, amend);
          const previous = s.directiveVersion;
          const unacknowledged = s.ackVersion < previous;
          if (sm.applyAmendment(s, amend.version)) {
            await this.record('AMENDED', {
              data: { version: amend.version, note: amend.note ?? null },
              // The old version's acknowledgement is no longer owed: its escalations close.
              ...(unacknowledged ? { resolveEscalations: 'superseded', obligation: obligationKeys.ack(previous) } : {}),
            });
          }
        });
        continue;
      }
      if (this.relayDue) {
        // Acknowledged and answered: now pass the document on, under the lock (after the
        // revocation and amendment checks above, so a revoked unit starts nobody).
        this.relayDue = false;
        await this.relayUnderLock(() => (!sm.isClosed(s) && !s.forwarded ? this.relayTargets() : null));
        continue;
      }
      if (messagesFirst && this.cycleClosed && s.reportCycles.length > s.reportsSubmitted.length) return 'continue-as-new';
      if (sm.dutiesDone(s)) {
        // Decided outside the lock: an action waiting for it (an acknowledgement queued behind
        // a fan-out) may complete the assignment first; then it must not complete twice.
        await this.lock.run(async () => {
          if (!patchedInRun(this.patches, PATCHES.recheckUnderLock) || sm.dutiesDone(s)) await this.complete();
        });
        break;
      }
      const owed = sm.currentObligation(s)!;
      if (s.ladder?.obligation !== owed.key) {
        // An approved extension or a change that ended the old ladder: plan this one.
        await this.lock.run(async () => {
          const recheck = patchedInRun(this.patches, PATCHES.recheckUnderLock);
          if (!recheck || (sm.currentObligation(s)?.key === owed.key && s.ladder?.obligation !== owed.key)) {
            await this.record('DEADLINE_SET', { data: { obligation: owed.key } });
          }
        });
        continue;
      }
      const ladder = s.ladder;
      const at = sm.nextLadderTime(ladder);
      const seen = this.changes;
      const woke = () => this.changes !== seen || this.revokeReason !== null || this.pendingAmendment !== null;
      if (at === undefined) {
        await wf.condition(woke);
        continue;
      }
      const wait = Math.max(1, Date.parse(at) - Date.now());
      const rung = ladder.fired;
      const label = rung === 0 ? `deadline for ${owed.key}` : `escalation rung ${rung} for ${owed.key}`;
      if (await wf.condition(woke, wait, { summary: label })) continue;
      await this.lock.run(() => this.fireRung(owed.key));
      if (wf.workflowInfo().continueAsNewSuggested) return 'continue-as-new';
    }
    return this.incident !== null ? 'failed' : 'closed';
  }

  /** Passes the revocation to the open children, once (forward-once patch). */
  private forwardRevocation(): void {
    if (this.revokeReason === null || this.revokeForwarded || !patchedInRun(this.patches, PATCHES.forwardOnce)) return;
    this.revokeForwarded = true;
    forwardSignal(this.ready().openChildren, revokeSignal, { reason: this.revokeReason });
  }

  /**
   * Closed for this unit: stays until the units below close, passing on what the issuer
   * still sends (a revocation, an amendment), so that it reaches every unit below.
   */
  async waitForChildren(): Promise<void> {
    const s = this.ready();
    if (!patchedInRun(this.patches, PATCHES.forwardOnce)) {
      await wf.condition(() => s.openChildren.length === 0 || this.revokeReason !== null);
      if (this.revokeReason !== null) await wf.condition(() => s.openChildren.length === 0);
      return;
    }
    while (s.openChildren.length > 0) {
      this.forwardRevocation();
      const amend = this.pendingAmendment;
      if (amend) {
        this.pendingAmendment = null;
        forwardSignal(s.openChildren, amendSignal, amend);
      }
      await wf.condition(
        () =>
          s.openChildren.length === 0 ||
          this.pendingAmendment !== null ||
          (this.revokeReason !== null && !this.revokeForwarded),
      );
    }
  }

  // ---- Internals ----

  private async fireRung(obligation: string): Promise<void> {
    const s = this.ready();
    const { input } = this;
    const ladder = s.ladder;
    if (!ladder || ladder.obligation !== obligation || sm.currentObligation(s)?.key !== obligation) return;
    const rung = ladder.fired;
    ladder.fired += 1;
    if (rung === 0) {
      await this.record('OVERDUE', { data: { obligation, deadline: ladder.deadline } });
      return;
    }
    const step = input.policy.escalation[rung - 1]!;
    const target =
      step.action === 'remind' ? input.unitCode : step.action === 'notify_parent' ? input.parentUnitCode : input.issuerCode;
    await this.record('ESCALATED', {
      data: { obligation, rung, action: step.action, target },
      escalation: { obligation, rung, action: step.action, targetUnitCode: target, deadline: ladder.deadline },
      notify: [
        {
          kind: `escalation_${step.action}`,
          recipientUnit: target,
          payload: { directiveId: input.directiveId, unitCode: input.unitCode, obligation, rung, deadline: ladder.deadline },
        },
      ],
    });
  }

  private async complete(): Promise<void> {
    this.ready().stage = Stage.COMPLETED;
    await this.record('COMPLETED', { resolveEscalations: 'completed', patch: { overdue: false } });
  }

  private async forward(
    recipients: UnitRef[],
    receivedDirectiveId: string,
    documentNumber: string,
    betweenWaves?: () => Promise<void>,
  ): Promise<void> {
    const s = this.ready();
    // How the fan-out was paced, [size, ms] per wave (v8: sized by start-pace.ts), for the
    // timeline: an operator can see a fan-out slowed by a busy server.
    const waves: Array<[number, number]> = [];
    const growth = waveGrowth(this.patches);
    const started = await fanOut({
      template: this.childTemplate(receivedDirectiveId, documentNumber),
      fromUnitCode: this.input.unitCode,
      recipients,
      selfWorkflowId: this.self,
      ...(betweenWaves ? { betweenWaves } : {}),
      ...(growth ? { adaptiveWaves: growth } : {}),
      onWave: (size, tookMs) => waves.push([size, tookMs]),
      onStarted: (childId, result) =>
        watchChild(
          result,
          (err) => this.childLost(childId, err),
          // Started with closeNotice 'on-request' (childTemplate): its result says it closed.
          this.patches.v6 ? () => this.children.closed(childId) : undefined,
        ),
    });
    this.children.added(started);
    sm.applyForwarded(s);
    const concretized = s.implementingDirectiveId === receivedDirectiveId;
    await this.record('FORWARDED', {
      data: {
        recipients: recipients.length,
        started: started.length,
        documentId: receivedDirectiveId,
        ...(this.patches.v8 && waves.length > 0 ? { waves } : {}),
      },
      // The implementing document is out: what chased it is resolved.
      ...(concretized ? { resolveEscalations: 'concretized', obligation: obligationKeys.concretize } : {}),
    });
  }

  private childTemplate(receivedDirectiveId: string, documentNumber: string): ChildTemplate {
    const { input } = this;
    return {
      directiveId: input.directiveId,
      directiveNumber: input.directiveNumber,
      receivedDirectiveId,
      documentNumber,
      issuerCode: input.issuerCode,
      parentAssignmentId: this.assignmentId,
      parentUnitCode: input.unitCode,
      relDepth: input.relDepth + 1,
      policy: childPolicyOnly(this.patches) ? assignmentPolicy(input.policy) : input.policy,
      baseCycles: input.baseCycles,
      directiveVersion: this.ready().directiveVersion,
      maxFanout: input.maxFanout,
      ...(input.startWave ? { startWave: input.startWave } : {}),
      ...(this.patches.v6 ? { closeNotice: 'on-request' as const } : {}),
    };
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
      },
    };
  }

  /** Persists one event (idempotent by seq), plans the next deadline, publishes to the UI. */
  private async record(type: EventType, extra: Partial<PersistEventInput> = {}): Promise<void> {
    const s = this.ready();
    s.seq += 1;
    const seq = s.seq;
    if (extra.completes) s.seq += 1; // the COMPLETED event the same write records
    const next = this.nextObligation(s);
    const persist = localRecords(this.patches) ? local.persistEvent : io.persistEvent;
    const result = await this.guard(() => persist.executeWithOptions({ summary: `record ${type}` }, [
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
          ...extra.patch,
        },
        ...(next ? { next } : {}),
      },
    ]));
    if (next && result.plan) s.ladder = { obligation: next.obligation, ...result.plan, fired: 0 };
    this.changes++;
    this.publish();
  }

  /**
   * Runs an activity call. A business rejection goes back to the caller as it is; any other
   * failure (non-retryable, or retries exhausted) is an incident: the loop records FAILED.
   */
  private async guard<T>(call: () => Promise<T>): Promise<T> {
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

  /** True when `err` is an activity failure this assignment turned into its incident. */
  hasIncident(): boolean {
    return this.incident !== null;
  }

  /** One upsert per transition (each is a history event and a visibility write). */
  private publish(identity: SearchAttributeUpdatePair[] = []): void {
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
const now = () => new Date(Date.now()).toISOString();
