/**
 * The units below one assignment: passing the document to them (in waves of child starts,
 * under the assignment's lock), passing the issuer's revocation and amendments on, and
 * knowing which of them are still open. A child that fails or is terminated is recorded as
 * an incident and counted closed.
 */
import { amendSignal, assignmentPolicy, revokeSignal, type AmendInput } from '../contract/definitions';
import type { Actor } from '../contract/actor';
import type { UnitRef } from '../contract/activities';
import type { AssignmentWorkflowInput, ChildTemplate } from '../contract/workflow-inputs';
import type { TaskPartPlan } from '../contract/tasks';
import { obligationKeys } from '../contract/ids';
import * as sm from './assignment-state';
import type { AssignmentRecorder } from './assignment-recorder';
import { fanOut, startTaskParts } from './fanout';
import { ChildSet, askForCloseNotice, forwardSignal } from './propagation';
import { recordLostChild, watchChild } from './incidents';
import { io } from './activity-proxies';
import type { Lock } from './lock';

export class AssignmentChildren {
  /** Shares its array with `state.openChildren`, so what it tracks is carried state. */
  private readonly set: ChildSet;
  /** The units a relaying level passes the document to when it acknowledges. */
  relayTo: UnitRef[] | null = null;
  private revocationSent = false;

  constructor(
    private readonly input: AssignmentWorkflowInput,
    private readonly rec: AssignmentRecorder,
    private readonly lock: Lock,
    private readonly self: string,
  ) {
    this.set = new ChildSet(input.carried?.state.openChildren ?? []);
  }

  /** The array that becomes `state.openChildren` of a fresh delivery. */
  get ids(): string[] {
    return this.set.ids;
  }

  /** Children still open. */
  get size(): number {
    return this.set.size;
  }

  /** A child's childClosed signal (asked for by a later run, or a task part's). */
  closed(childId: string): void {
    this.set.closed(childId);
  }

  /**
   * Children another run started: this run cannot read their results. Each is asked for
   * childClosed; one that cannot be signalled any more has closed meanwhile.
   */
  async adoptCarried(): Promise<void> {
    if (this.set.size === 0) return;
    for (const gone of await askForCloseNotice([...this.set.ids])) this.set.closed(gone);
  }

  /** Passes the revocation to the open children, once. */
  revoke(reason: string, by?: Actor): void {
    if (this.revocationSent) return;
    this.revocationSent = true;
    forwardSignal(this.set.ids, revokeSignal, { reason, ...(by ? { by } : {}) });
  }

  get revocationPassed(): boolean {
    return this.revocationSent;
  }

  amend(amend: AmendInput): void {
    forwardSignal(this.set.ids, amendSignal, amend);
  }

  /**
   * A relaying level passes the received document on under the lock, letting the unit's own
   * actions (its acknowledgement) in between the waves of starts, so that a province's answer
   * does not wait for a hundred of them. `targets` is read under the lock and says null when
   * there is nothing to relay any more.
   */
  async relayUnderLock(targets: () => UnitRef[] | null | Promise<UnitRef[] | null>): Promise<void> {
    const { input } = this;
    await this.lock.runInSteps(async (letIn) => {
      const to = await targets();
      if (to) await this.forward(to, input.receivedDirectiveId, input.documentNumber, letIn);
    });
  }

  /** The units a relaying level passes the document to (known since delivery, or looked up). */
  async relayTargets(): Promise<UnitRef[]> {
    const children =
      this.relayTo ??
      (await this.rec.guard(() => io.childrenOf.executeWithOptions({ summary: 'look up units below' }, [this.input.unitCode])));
    this.relayTo = null;
    return children;
  }

  /** Starts the units' assignments for a document and records FORWARDED. */
  async forward(recipients: UnitRef[], documentId: string, documentNumber: string, betweenWaves?: () => Promise<void>): Promise<void> {
    const s = this.rec.ready();
    // How the fan-out was paced, [size, ms] per wave, for the timeline: an operator can see a
    // fan-out slowed by a busy server.
    const waves: Array<[number, number]> = [];
    const started = await fanOut({
      template: this.childTemplate(documentId, documentNumber),
      fromUnitCode: this.input.unitCode,
      recipients,
      selfWorkflowId: this.self,
      ...(betweenWaves ? { betweenWaves } : {}),
      onWave: (size, tookMs) => waves.push([size, tookMs]),
      onStarted: (childId, result) =>
        watchChild(
          result,
          (err) => this.lost(childId, err),
          () => this.set.closed(childId),
        ),
    });
    this.set.added(started);
    sm.applyForwarded(s);
    const concretized = s.implementingDirectiveId === documentId;
    await this.rec.record('FORWARDED', {
      data: { recipients: recipients.length, started: started.length, documentId, ...(waves.length > 0 ? { waves } : {}) },
      // The implementing document is out: what chased it is resolved.
      ...(concretized ? { resolveEscalations: 'concretized', obligation: obligationKeys.concretize } : {}),
    });
  }

  /** The plan's tasks: each lead and coordinating unit owes its part by its own deadline. */
  async startTaskParts(parts: TaskPartPlan[]): Promise<void> {
    const { input } = this;
    const started = await startTaskParts({
      template: {
        directiveId: input.directiveId,
        directiveNumber: input.directiveNumber,
        issuerCode: input.issuerCode,
        escalation: input.policy.escalation,
        calendar: input.policy.calendar,
      },
      parts,
      selfWorkflowId: this.self,
      // A task part signals its close.
      onStarted: (childId, result) => watchChild(result, (err) => this.lost(childId, err)),
    });
    this.set.added(started);
  }

  /** A child that failed, was terminated or timed out: recorded as an incident, then closed. */
  private async lost(childId: string, err: unknown): Promise<void> {
    await recordLostChild(this.input, childId, err);
    this.set.closed(childId);
  }

  private childTemplate(receivedDirectiveId: string, documentNumber: string): ChildTemplate {
    const { input } = this;
    return {
      directiveId: input.directiveId,
      directiveNumber: input.directiveNumber,
      receivedDirectiveId,
      documentNumber,
      issuerCode: input.issuerCode,
      parentAssignmentId: this.rec.assignmentId,
      parentUnitCode: input.unitCode,
      relDepth: input.relDepth + 1,
      policy: assignmentPolicy(input.policy),
      baseCycles: input.baseCycles,
      directiveVersion: this.rec.ready().directiveVersion,
      maxFanout: input.maxFanout,
      ...(input.startWave ? { startWave: input.startWave } : {}),
    };
  }
}
