/**
 * One unit's copy of a cascade as a small class: its lock, the messages waiting to be
 * applied, and one method per action (in the style of the `ClusterManager` of Temporal's
 * safe-message-handlers sample). What happens next is decided by pure functions
 * (assignment-state.ts, assignment-steps.ts, ladder.ts); this class applies the answers
 * against durable time. Every write goes through the recorder (assignment-recorder.ts);
 * the units below are handled by assignment-children.ts. assignment-workflow.ts wires it up.
 */
import * as wf from '@temporalio/workflow';
import {
  Stage,
  type AcknowledgeInput,
  type AmendInput,
  type AssignmentView,
  type ConcretizeInput,
  type ExtensionDecisionInput,
  type ExtensionRequestInput,
  type ReportInput,
  type RevokeInput,
} from '../contract/definitions';
import { ATTEMPT_SEQ_SPAN, type AssignmentWorkflowInput, type CarriedAssignment } from '../contract/workflow-inputs';
import { obligationKeys } from '../contract/ids';
import * as sa from '../contract/search-attributes';
import * as sm from './assignment-state';
import { acknowledgeOutcome, nextStep, relayMode, relaysOnDelivery, type Pending } from './assignment-steps';
import { AssignmentRecorder } from './assignment-recorder';
import { AssignmentChildren } from './assignment-children';
import { nextLadderStep, reminderRecord, rungLabel, rungRecord } from './ladder';
import { closeNotice } from './propagation';
import { startPatches, type RunPatches } from './patches';
import { Lock } from './lock';
import type { Actor } from '../contract/actor';

/** Why the wait loop stopped. */
export type LoopExit = 'closed' | 'continue-as-new' | 'failed';

export class Assignment {
  readonly lock = new Lock();
  /** Patches decided once, at the start of the run, before any activity. */
  readonly patches: RunPatches;
  private readonly rec: AssignmentRecorder;
  private readonly children: AssignmentChildren;
  private readonly self: string;
  private readonly attempt: number;
  private pendingAmendment: AmendInput | null = null;
  private revokeReason: string | null = null;
  /** Who revoked the directive, when the revocation said (signals sent before actors existed do not). */
  private revokedBy: Actor | undefined;
  /** Acknowledged, answered, and not yet passed on: the wait loop relays next. */
  private relayDue = false;
  /** Set when a report cycle closes: a natural point to continue-as-new. */
  private cycleClosed = false;
  /**
   * Whether this run signals childClosed when it closes: only when a later run of its parent
   * (which cannot read this run's result) asked for it.
   */
  private noticeOwed: boolean;

  constructor(private readonly input: AssignmentWorkflowInput) {
    this.patches = startPatches();
    this.self = wf.workflowInfo().workflowId;
    this.rec = new AssignmentRecorder(input, this.patches);
    this.children = new AssignmentChildren(input, this.rec, this.lock, this.self);
    this.attempt = input.attempt ?? 0;
    const carried = input.carried;
    // Messages a previous run received but had not applied when it continued-as-new.
    if (carried?.pending.revokeReason !== undefined) this.revokeReason = carried.pending.revokeReason;
    this.revokedBy = carried?.pending.revokedBy;
    if (carried?.pending.amendment) this.pendingAmendment = carried.pending.amendment;
    this.noticeOwed = carried?.noticeOwed ?? false;
  }

  // ---- Reading ----

  /** False when the delivery itself failed (an incident before any state existed). */
  get delivered(): boolean {
    return this.rec.state !== undefined;
  }

  view(): AssignmentView {
    return sm.view(this.rec.ready(), {
      assignmentId: this.rec.assignmentId,
      directiveId: this.input.directiveId,
      unitCode: this.input.unitCode,
    });
  }

  /** What a continued run carries over, with the messages not yet applied. */
  carried(): CarriedAssignment {
    const pending: CarriedAssignment['pending'] = {};
    if (this.revokeReason !== null) pending.revokeReason = this.revokeReason;
    if (this.revokedBy) pending.revokedBy = this.revokedBy;
    if (this.pendingAmendment) pending.amendment = this.pendingAmendment;
    const { unitName, level } = this.rec;
    return { state: this.rec.ready(), unitName, level, pending, noticeOwed: this.noticeOwed };
  }

  hasIncident(): boolean {
    return this.rec.incident !== null;
  }

  // ---- Validators: a reason string rejects the action before it enters history. ----

  validateAcknowledge = (act: AcknowledgeInput) => sm.validateAcknowledge(this.rec.ready(), this.input.unitCode, act);
  validateConcretize = (act: ConcretizeInput) => sm.validateConcretize(this.rec.ready(), this.input.unitCode, act);
  validateReport = (act: ReportInput) => sm.validateReport(this.rec.ready(), this.input.unitCode, act);
  validateExtensionRequest = (act: ExtensionRequestInput) =>
    sm.validateExtensionRequest(this.rec.ready(), this.input.unitCode, act);
  validateExtensionDecision = (act: ExtensionDecisionInput) =>
    sm.validateExtensionDecision(this.rec.ready(), this.input.parentUnitCode, act);

  // ---- Unit actions (run under the lock, after their validator accepted) ----

  async acknowledge(act: AcknowledgeInput): Promise<AssignmentView> {
    const s = this.rec.ready();
    sm.applyAcknowledge(s);
    const { completes, relayNext } = acknowledgeOutcome(s, relayMode(this.input.policy));
    if (completes) s.stage = Stage.COMPLETED;
    await this.rec.record('ACKNOWLEDGED', {
      data: { note: act.note ?? null, version: s.ackVersion, ...byOf(act) },
      resolveEscalations: 'acknowledged',
      obligation: obligationKeys.ack(s.ackVersion),
      ...(completes ? { completes: true, patch: { overdue: false } } : {}),
    });
    if (relayNext) this.relayDue = true;
    return this.view();
  }

  async concretize(act: ConcretizeInput): Promise<AssignmentView> {
    const s = this.rec.ready();
    const doc = await this.rec.recordDocument(act);
    sm.applyConcretize(s, doc.implementingDirectiveId);
    await this.children.forward(doc.recipients, doc.implementingDirectiveId, act.number);
    if (doc.taskParts?.length) await this.children.startTaskParts(doc.taskParts);
    if (sm.dutiesDone(s)) await this.complete();
    return this.view();
  }

  async report(act: ReportInput): Promise<AssignmentView> {
    const s = this.rec.ready();
    const owed = sm.currentObligation(s)!;
    const cycle = owed.cycle!;
    const dueAt = s.deadlineOverride[owed.key] ?? owed.dueAt!;
    sm.applyReport(s, cycle);
    if (sm.dutiesDone(s)) s.stage = Stage.COMPLETED;
    await this.rec.recordReport(act, cycle, dueAt);
    this.cycleClosed = true;
    return this.view();
  }

  async requestExtension(act: ExtensionRequestInput): Promise<AssignmentView> {
    const request = sm.applyExtensionRequest(this.rec.ready(), act);
    await this.rec.record('EXTENSION_REQUESTED', {
      extension: { ...request, ...(act.by ? { requestedBy: act.by } : {}) },
      data: { requestId: act.requestId, requestedDeadline: request.requestedDeadline, ...byOf(act) },
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
    const decided = sm.applyExtensionDecision(this.rec.ready(), act);
    await this.rec.record('EXTENSION_DECIDED', {
      extension: { ...decided, decidedBy: act.actorUnitCode, ...(act.by ? { decisionBy: act.by } : {}) },
      data: { requestId: act.requestId, approve: act.approve, ...byOf(act) },
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

  // ---- Messages from above and below: the wait loop applies them, under the lock ----

  amend(amend: AmendInput): void {
    if (!this.pendingAmendment || amend.version > this.pendingAmendment.version) this.pendingAmendment = amend;
    this.rec.changes++;
  }

  revoke(revoke: RevokeInput): void {
    this.revokeReason = revoke.reason ?? 'revoked by the issuer';
    if (revoke.by) this.revokedBy = revoke.by;
    this.rec.changes++;
  }

  /** A later run of the parent cannot read this run's result: it wants childClosed. */
  noticeRequested(): void {
    this.noticeOwed = true;
  }

  /** A child's close; nothing the wait loop waits on depends on it (waitForChildren does). */
  childClosed(childId: string): void {
    this.children.closed(childId);
  }

  /** Tells the parent this run closes, when it is owed. */
  async closing(): Promise<void> {
    await closeNotice({ owed: () => this.noticeOwed, parentWorkflowId: this.input.temporalParentId, selfId: this.self, pause: true });
  }

  // ---- Lifecycle ----

  /** Records the delivery (a fresh run only) and relays at once when this level relays on delivery. */
  async deliver(): Promise<void> {
    const { input } = this;
    const firstSeq = this.attempt * ATTEMPT_SEQ_SPAN;
    const carried = this.rec.state;
    if (carried) {
      await this.children.adoptCarried();
      if (this.attempt > 0 && carried.seq < firstSeq) {
        // An admin retry resuming carried state: the read model learns it is alive again.
        carried.seq = firstSeq;
        await this.lock.run(() => this.rec.record('RETRIED', { data: { attempt: this.attempt } }));
      } else this.rec.publish(); // a continued run: show the carried state at once
      return;
    }
    const delivered = await this.rec.recordDelivery(firstSeq);
    this.rec.unitName = delivered.unitName;
    this.rec.level = delivered.level;
    const state = sm.initialState({
      isLeaf: delivered.isLeaf,
      mustConcretize: delivered.mustConcretize,
      directiveVersion: input.directiveVersion,
      reportCycles: delivered.reportCycles,
    });
    state.seq = firstSeq;
    state.openChildren = this.children.ids;
    state.ladder = { obligation: obligationKeys.ack(input.directiveVersion), ...delivered.ackPlan, fired: 0 };
    this.rec.state = state;
    this.rec.publish(this.rec.identity());
    if (relaysOnDelivery(state, relayMode(input.policy))) await this.children.relayUnderLock(() => delivered.children);
    else if (sm.relays(state)) this.children.relayTo = delivered.children; // passed on when the unit acknowledges
  }

  /** The wait loop: deadlines raced against unit actions and messages, one pure decision a turn. */
  async run(): Promise<LoopExit> {
    const s = this.rec.ready();
    for (;;) {
      const step = nextStep(s, this.pending());
      switch (step.kind) {
        case 'closed':
          return this.hasIncident() ? 'failed' : 'closed';
        case 'fail':
        case 'continue-as-new':
          return step.kind === 'fail' ? 'failed' : 'continue-as-new';
        case 'revoke':
          await this.lock.run(() => this.applyRevocation());
          break;
        case 'amend':
          await this.lock.run(() => this.applyAmendment());
          break;
        case 'relay':
          // After the revocation and amendment steps: a revoked unit starts nobody.
          this.relayDue = false;
          await this.children.relayUnderLock(() => (!sm.isClosed(s) && !s.forwarded ? this.children.relayTargets() : null));
          break;
        case 'complete':
          // Decided outside the lock: an action waiting for it (an acknowledgement queued
          // behind a fan-out) may complete the assignment first; it must not complete twice.
          await this.lock.run(async () => {
            if (sm.dutiesDone(s)) await this.complete();
          });
          break;
        case 'plan-deadline':
          await this.lock.run(async () => {
            if (sm.currentObligation(s)?.key === step.obligation && s.ladder?.obligation !== step.obligation) {
              await this.rec.record('DEADLINE_SET', { data: { obligation: step.obligation } });
            }
          });
          break;
        case 'wait':
          if (await this.waitForChange(step.at, s.ladder!)) break;
          await this.lock.run(() => this.fireRung(step.obligation));
          break;
      }
    }
  }

  /**
   * Closed for this unit: stays until the units below close, passing on what the issuer
   * still sends (a revocation, an amendment), so that it reaches every unit below.
   */
  async waitForChildren(): Promise<void> {
    const { children } = this;
    while (children.size > 0) {
      if (this.revokeReason !== null) children.revoke(this.revokeReason, this.revokedBy);
      const amend = this.pendingAmendment;
      this.pendingAmendment = null;
      if (amend) children.amend(amend);
      await wf.condition(
        () => children.size === 0 || this.pendingAmendment !== null || (this.revokeReason !== null && !children.revocationPassed),
      );
    }
  }

  /**
   * The incident: recorded as FAILED in the read model (the issuer is notified), shown in
   * the Temporal UI, and the assignment closes so that its forwarder and the cascade still
   * close. Units already below it keep their own assignments and still hear revocation.
   */
  async fail(): Promise<void> {
    const reason = this.rec.incident ?? 'unknown incident';
    const { input } = this;
    if (this.rec.state) this.rec.state.stage = Stage.FAILED;
    wf.upsertSearchAttributes([
      ...(this.rec.state ? [] : this.rec.identity()),
      { key: sa.Stage, value: Stage.FAILED },
      { key: sa.Overdue, value: false },
      { key: sa.EscalationRung, value: 0 },
      { key: sa.NextDeadline, value: null },
    ]);
    wf.setCurrentDetails(
      `**FAILED** (incident): ${reason}\n\nAn admin can retry: POST /api/v1/directives/${input.directiveId}/units/${input.unitCode}/retry`,
    );
    await this.rec.recordIncident(reason, this.attempt);
  }

  // ---- Internals ----

  private pending(): Pending {
    return {
      incident: this.hasIncident(),
      revocation: this.revokeReason !== null,
      amendment: this.pendingAmendment !== null,
      relay: this.relayDue,
      cycleClosed: this.cycleClosed,
      historyLong: wf.workflowInfo().continueAsNewSuggested,
    };
  }

  /** Waits until something changes (true) or the ladder's next rung is due (false). */
  private async waitForChange(at: string | undefined, ladder: sm.Ladder): Promise<boolean> {
    const seen = this.rec.changes;
    const woke = () => this.rec.changes !== seen || this.revokeReason !== null || this.pendingAmendment !== null;
    if (at === undefined) return wf.condition(woke).then(() => true);
    return wf.condition(woke, Math.max(1, Date.parse(at) - Date.now()), { summary: rungLabel(ladder) });
  }

  private async applyRevocation(): Promise<void> {
    const s = this.rec.ready();
    const reason = this.revokeReason!;
    this.children.revoke(reason, this.revokedBy);
    // Seen outside the lock: an action that held it may have closed the assignment.
    if (sm.isClosed(s)) return;
    s.stage = Stage.REVOKED;
    await this.rec.record('REVOKED', {
      data: { reason, ...(this.revokedBy ? { by: this.revokedBy } : {}) },
      resolveEscalations: 'revoked',
      patch: { overdue: false },
    });
  }

  private async applyAmendment(): Promise<void> {
    const s = this.rec.ready();
    const amend = this.pendingAmendment!;
    this.pendingAmendment = null;
    // Under the lock: children a fan-out in flight was starting are in the list now.
    this.children.amend(amend);
    const previous = s.directiveVersion;
    const unacknowledged = s.ackVersion < previous;
    if (!sm.applyAmendment(s, amend.version)) return;
    await this.rec.record('AMENDED', {
      data: { version: amend.version, note: amend.note ?? null, ...byOf(amend) },
      // The old version's acknowledgement is no longer owed: its escalations close.
      ...(unacknowledged ? { resolveEscalations: 'superseded', obligation: obligationKeys.ack(previous) } : {}),
    });
  }

  /** Fires the ladder's next step: its next rung, or a reminder between the rungs. */
  private async fireRung(obligation: string): Promise<void> {
    const s = this.rec.ready();
    const { input } = this;
    const ladder = s.ladder;
    if (!ladder || ladder.obligation !== obligation || sm.currentObligation(s)?.key !== obligation) return;
    const parties = { unit: input.unitCode, above: input.parentUnitCode, issuer: input.issuerCode };
    const subject = { directiveId: input.directiveId, unitCode: input.unitCode };
    const reminder = nextLadderStep(ladder)?.reminder;
    if (reminder) {
      const sent = reminderRecord(ladder, reminder, parties, subject, Date.now());
      ladder.remindersFired = (ladder.remindersFired ?? 0) + 1;
      if (sent) await this.rec.record(sent.type, sent.extra);
      return;
    }
    const { type, extra } = rungRecord(ladder, input.policy.escalation, parties, subject);
    ladder.fired += 1;
    await this.rec.record(type, extra);
  }

  private async complete(): Promise<void> {
    this.rec.ready().stage = Stage.COMPLETED;
    await this.rec.record('COMPLETED', { resolveEscalations: 'completed', patch: { overdue: false } });
  }
}

/** The actor to put in an event's data, when the message named one (older ones did not). */
function byOf(message: { by?: Actor }): { by?: Actor } {
  return message.by ? { by: message.by } : {};
}
