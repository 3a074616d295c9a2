/**
 * One unit's copy of a cascade: receive, acknowledge, concretize, forward, report — each
 * waiting stage with a durable deadline and an escalation ladder. The state machine lives
 * in assignment-state.ts; this file is wiring: handlers, the wait loop, persistence calls.
 */
import * as wf from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { ReportCycle } from '../contract/definitions';
import {
  Stage,
  acknowledgeUpdate,
  amendSignal,
  childClosedSignal,
  concretizeUpdate,
  decideExtensionUpdate,
  reportUpdate,
  requestExtensionUpdate,
  revokeSignal,
  stateQuery,
} from '../contract/definitions';
import * as sm from './assignment-state';
import type { AssignmentWorkflowInput } from '../contract/workflow-inputs';
import type { EventType, NextObligation, PersistEventInput, UnitRef } from '../contract/activities';
import { fanOut, type ChildTemplate } from './fanout';
import { ChildSet, forwardSignal, notifyClosed } from './propagation';
import { io, local } from './activity-proxies';
import * as sa from '../contract/search-attributes';
import { Lock } from './lock';

export async function assignmentWorkflow(input: AssignmentWorkflowInput): Promise<void> {
  const self = wf.workflowInfo().workflowId;
  const assignmentId = `${input.directiveId}/${input.unitCode}`;
  const lock = new Lock();
  let state: sm.AssignmentState | undefined = input.carried?.state;
  /** Shares its array with `state.openChildren`, so what it tracks is carried state. */
  const children = new ChildSet(input.carried?.state.openChildren ?? []);
  let unitName = input.carried?.unitName ?? input.unitCode;
  let level = input.carried?.level ?? '';
  /** Bumped on every change, so the wait loop wakes up and re-plans. */
  let changes = 0;
  const now = () => new Date(Date.now()).toISOString();

  const ready = (): sm.AssignmentState => {
    if (!state) throw wf.ApplicationFailure.nonRetryable('the directive is still being delivered', 'Rejected');
    return state;
  };
  // A business failure, so the Update is rejected (a plain Error would fail the task instead).
  const reject = (reason: string | null): void => {
    if (reason) throw wf.ApplicationFailure.nonRetryable(reason, 'Rejected');
  };
  const currentView = () =>
    sm.view(ready(), { assignmentId, directiveId: input.directiveId, unitCode: input.unitCode });

  /** The plan request for what the unit owes now, when its ladder is not planned yet. */
  function nextObligation(s: sm.AssignmentState): NextObligation | undefined {
    const owed = sm.currentObligation(s);
    if (!owed || s.ladder?.obligation === owed.key) return undefined;
    const override = s.deadlineOverride[owed.key];
    const within =
      owed.kind === 'ack' ? input.policy.ackWithin : (input.policy.concretizeWithin ?? input.policy.ackWithin);
    return {
      obligation: owed.key,
      plan: {
        from: now(),
        ...(override ? { dueAt: override } : owed.dueAt ? { dueAt: owed.dueAt } : { within }),
        escalation: input.policy.escalation,
        calendar: input.policy.calendar,
      },
    };
  }

  /** Persists one event (idempotent by seq), plans the next deadline, publishes to the UI. */
  async function record(type: EventType, extra: Partial<PersistEventInput> = {}): Promise<void> {
    const s = ready();
    s.seq += 1;
    const next = nextObligation(s);
    const result = await io.persistEvent.executeWithOptions({ summary: `record ${type}` }, [
      {
        assignmentId,
        directiveId: input.directiveId,
        unitCode: input.unitCode,
        seq: s.seq,
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
    ]);
    if (next && result.plan) s.ladder = { obligation: next.obligation, ...result.plan, fired: 0 };
    changes++;
    publish();
  }

  /** One upsert per transition (each is a history event and a visibility write). */
  function publish(identity: SearchAttributeUpdatePair[] = []): void {
    const s = ready();
    const owed = sm.currentObligation(s);
    const deadline = owed && s.ladder?.obligation === owed.key ? s.ladder.deadline : null;
    wf.upsertSearchAttributes([
      ...identity,
      { key: sa.Stage, value: s.stage },
      { key: sa.Overdue, value: sm.isOverdue(s) },
      { key: sa.EscalationRung, value: sm.escalationRung(s) },
      { key: sa.NextDeadline, value: deadline ? new Date(deadline) : null },
    ]);
    wf.setCurrentDetails(sm.describeWaiting(s, unitName));
  }

  const childTemplate = (receivedDirectiveId: string, documentNumber: string): ChildTemplate => ({
    directiveId: input.directiveId,
    directiveNumber: input.directiveNumber,
    receivedDirectiveId,
    documentNumber,
    issuerCode: input.issuerCode,
    parentAssignmentId: assignmentId,
    parentUnitCode: input.unitCode,
    relDepth: input.relDepth + 1,
    policy: input.policy,
    baseCycles: input.baseCycles,
    directiveVersion: ready().directiveVersion,
    maxFanout: input.maxFanout,
  });

  async function forward(recipients: UnitRef[], receivedDirectiveId: string, documentNumber: string) {
    const s = ready();
    const started = await fanOut({
      template: childTemplate(receivedDirectiveId, documentNumber),
      fromUnitCode: input.unitCode,
      recipients,
      selfWorkflowId: self,
    });
    children.added(started);
    sm.applyForwarded(s);
    await record('FORWARDED', {
      data: { recipients: recipients.length, started: started.length, documentId: receivedDirectiveId },
    });
  }

  async function complete(): Promise<void> {
    ready().stage = Stage.COMPLETED;
    await record('COMPLETED', { resolveEscalations: 'completed', patch: { overdue: false } });
  }

  // ---- Handlers: registered before the first await so no early message is lost. ----

  wf.setHandler(stateQuery, currentView);

  wf.setHandler(
    acknowledgeUpdate,
    (act) =>
      lock.run(async () => {
        const s = ready();
        reject(sm.validateAcknowledge(s, input.unitCode, act));
        sm.applyAcknowledge(s);
        await record('ACKNOWLEDGED', {
          data: { note: act.note ?? null, version: s.ackVersion },
          resolveEscalations: 'acknowledged',
        });
        if (sm.dutiesDone(s)) await complete();
        return currentView();
      }),
    { validator: (act) => reject(sm.validateAcknowledge(ready(), input.unitCode, act)) },
  );

  wf.setHandler(
    concretizeUpdate,
    (act) =>
      lock.run(async () => {
        const s = ready();
        reject(sm.validateConcretize(s, input.unitCode, act));
        s.seq += 1;
        const doc = await io.recordConcretize.executeWithOptions({ summary: `concretize as ${act.number}` }, [
          {
            assignmentId,
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
          },
        ]);
        sm.applyConcretize(s, doc.implementingDirectiveId);
        await forward(doc.recipients, doc.implementingDirectiveId, act.number);
        if (sm.dutiesDone(s)) await complete();
        return currentView();
      }),
    { validator: (act) => reject(sm.validateConcretize(ready(), input.unitCode, act)) },
  );

  wf.setHandler(
    reportUpdate,
    (act) =>
      lock.run(async () => {
        const s = ready();
        reject(sm.validateReport(s, input.unitCode, act));
        const owed = sm.currentObligation(s)!;
        const cycle: ReportCycle = { cycle: owed.cycle!, dueAt: owed.dueAt! };
        const dueAt = s.deadlineOverride[owed.key] ?? cycle.dueAt;
        sm.applyReport(s, cycle.cycle);
        const last = sm.dutiesDone(s);
        if (last) s.stage = Stage.COMPLETED;
        s.seq += 1;
        const next = nextObligation(s);
        const result = await io.submitReport.executeWithOptions({ summary: `report cycle ${cycle.cycle}` }, [
          {
            assignmentId,
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
        ]);
        if (next && result.plan) s.ladder = { obligation: next.obligation, ...result.plan, fired: 0 };
        cycleClosed = true;
        changes++;
        publish();
        return currentView();
      }),
    { validator: (act) => reject(sm.validateReport(ready(), input.unitCode, act)) },
  );

  wf.setHandler(
    requestExtensionUpdate,
    (act) =>
      lock.run(async () => {
        const s = ready();
        reject(sm.validateExtensionRequest(s, input.unitCode, act));
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
        await record('EXTENSION_REQUESTED', {
          extension: request,
          data: { requestId: act.requestId, requestedDeadline: request.requestedDeadline },
          notify: [
            {
              kind: 'extension_requested',
              recipientUnit: input.parentUnitCode,
              payload: { directiveId: input.directiveId, unitCode: input.unitCode, ...request },
            },
          ],
        });
        return currentView();
      }),
    { validator: (act) => reject(sm.validateExtensionRequest(ready(), input.unitCode, act)) },
  );

  wf.setHandler(
    decideExtensionUpdate,
    (act) =>
      lock.run(async () => {
        const s = ready();
        reject(sm.validateExtensionDecision(s, input.parentUnitCode, act));
        const decided = sm.applyExtensionDecision(s, act);
        await record('EXTENSION_DECIDED', {
          extension: { ...decided, decidedBy: act.actorUnitCode },
          data: { requestId: act.requestId, approve: act.approve },
          ...(act.approve ? { resolveEscalations: 'extended' } : {}),
          notify: [
            {
              kind: act.approve ? 'extension_approved' : 'extension_rejected',
              recipientUnit: input.unitCode,
              payload: { directiveId: input.directiveId, ...decided },
            },
          ],
        });
        return currentView();
      }),
    { validator: (act) => reject(sm.validateExtensionDecision(ready(), input.parentUnitCode, act)) },
  );

  /** Set when a report cycle closes: a natural point to continue-as-new. */
  let cycleClosed = false;
  let pendingAmendment: { version: number; note?: string } | null = null;
  let revokeReason: string | null = null;
  wf.setHandler(amendSignal, (amend) => {
    forwardSignal(children.ids, amendSignal, amend);
    if (!pendingAmendment || amend.version > pendingAmendment.version) pendingAmendment = amend;
    changes++;
  });
  wf.setHandler(revokeSignal, (revoke) => {
    forwardSignal(children.ids, revokeSignal, revoke);
    revokeReason = revoke.reason ?? 'revoked by the issuer';
    changes++;
  });
  wf.setHandler(childClosedSignal, (childId) => {
    children.closed(childId);
    changes++;
  });

  // ---- Delivery ----

  if (!state) {
    const delivered = await local.deliver.executeWithOptions({ summary: 'record delivery' }, [
      {
        assignmentId,
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
      },
    ]);
    unitName = delivered.unitName;
    level = delivered.level;
    state = sm.initialState({
      isLeaf: delivered.isLeaf,
      mustConcretize: delivered.mustConcretize,
      directiveVersion: input.directiveVersion,
      reportCycles: delivered.reportCycles,
    });
    state.openChildren = children.ids;
    state.ladder = { obligation: `ack@${input.directiveVersion}`, ...delivered.ackPlan, fired: 0 };
    publish([
      { key: sa.DirectiveId, value: input.directiveId },
      { key: sa.DirectiveNumber, value: input.directiveNumber },
      { key: sa.UnitCode, value: input.unitCode },
      { key: sa.UnitLevel, value: level },
    ]);
    if (sm.relaysOnDelivery(state)) {
      await lock.run(() => forward(delivered.children, input.receivedDirectiveId, input.documentNumber));
    }
  }
  else publish(); // a continued run: show the carried state at once
  const s = state;

  // ---- The wait loop: deadlines raced against unit actions and messages. ----

  while (!sm.isClosed(s)) {
    if (cycleClosed && s.reportCycles.length > s.reportsSubmitted.length) break; // continue-as-new
    if (revokeReason !== null) {
      // Again here: children started while the signal was in flight must hear it too.
      forwardSignal(s.openChildren, revokeSignal, { reason: revokeReason });
      await lock.run(async () => {
        s.stage = Stage.REVOKED;
        await record('REVOKED', { data: { reason: revokeReason }, resolveEscalations: 'revoked', patch: { overdue: false } });
      });
      break;
    }
    if (pendingAmendment) {
      const amend: { version: number; note?: string } = pendingAmendment;
      pendingAmendment = null;
      forwardSignal(s.openChildren, amendSignal, amend);
      await lock.run(async () => {
        if (sm.applyAmendment(s, amend.version)) {
          await record('AMENDED', { data: { version: amend.version, note: amend.note ?? null } });
        }
      });
      continue;
    }
    if (sm.dutiesDone(s)) {
      await lock.run(complete);
      break;
    }
    const owed = sm.currentObligation(s)!;
    if (s.ladder?.obligation !== owed.key) {
      // An approved extension or a change that ended the old ladder: plan this one.
      await lock.run(() => record('DEADLINE_SET', { data: { obligation: owed.key } }));
      continue;
    }
    const ladder = s.ladder;
    const at = sm.nextLadderTime(ladder);
    const seen = changes;
    const woke = wf.condition(() => changes !== seen || revokeReason !== null || pendingAmendment !== null);
    if (at === undefined) {
      await woke;
      continue;
    }
    const wait = Math.max(1, Date.parse(at) - Date.now());
    const rung = ladder.fired;
    const label = rung === 0 ? `deadline for ${owed.key}` : `escalation rung ${rung} for ${owed.key}`;
    const acted = await wf.condition(
      () => changes !== seen || revokeReason !== null || pendingAmendment !== null,
      wait,
      { summary: label },
    );
    if (acted) continue;
    await lock.run(() => fireRung(owed.key));
    if (wf.workflowInfo().continueAsNewSuggested) break;
  }

  async function fireRung(obligation: string): Promise<void> {
    const ladder = s.ladder;
    if (!ladder || ladder.obligation !== obligation || sm.currentObligation(s)?.key !== obligation) return;
    const rung = ladder.fired;
    ladder.fired += 1;
    if (rung === 0) {
      await record('OVERDUE', { data: { obligation, deadline: ladder.deadline } });
      return;
    }
    const step = input.policy.escalation[rung - 1]!;
    const target =
      step.action === 'remind' ? input.unitCode : step.action === 'notify_parent' ? input.parentUnitCode : input.issuerCode;
    await record('ESCALATED', {
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

  if (!sm.isClosed(s)) {
    // A reporting cycle closed or history grew long (years of reporting): start afresh
    // with the same state, so no history grows without bound.
    await wf.condition(wf.allHandlersFinished);
    await wf.continueAsNew<typeof assignmentWorkflow>({ ...input, carried: { state: s, unitName, level } });
  }

  // Closed for this unit; stay until the units below close so revocation still reaches them.
  await wf.condition(() => s.openChildren.length === 0 || revokeReason !== null);
  if (revokeReason !== null) await wf.condition(() => s.openChildren.length === 0);
  await wf.condition(wf.allHandlersFinished);
  await notifyClosed(input.temporalParentId, self);
}
