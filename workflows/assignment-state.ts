/**
 * The assignment state machine, pure: what a unit owes next, which actions its stage
 * allows, and how each action changes the state. The workflow is wiring around this;
 * plain unit tests cover it without Temporal.
 */
import {
  Stage,
  type AcknowledgeInput,
  type AssignmentView,
  type ConcretizeInput,
  type ExtensionDecisionInput,
  type ExtensionRequestInput,
  type ExtensionView,
  type ReportCycle,
  type ReportInput,
} from '../contract/definitions';

import type { AssignmentState, Ladder } from '../contract/workflow-inputs';
import { nextReminder } from './ladder';
import { obligationKeys } from '../contract/ids';

export type { AssignmentState, Ladder };

export type ObligationKind = 'ack' | 'concretize' | 'report';

export interface Obligation {
  key: string;
  kind: ObligationKind;
  cycle?: number;
  /** Absolute due date (reports); otherwise the deadline is counted from now. */
  dueAt?: string;
}

export function initialState(opts: {
  isLeaf: boolean;
  mustConcretize: boolean;
  directiveVersion: number;
  reportCycles: ReportCycle[];
}): AssignmentState {
  return {
    stage: Stage.DELIVERED,
    isLeaf: opts.isLeaf,
    mustConcretize: opts.mustConcretize && !opts.isLeaf,
    forwarded: false,
    directiveVersion: opts.directiveVersion,
    ackVersion: 0,
    reportCycles: opts.reportCycles,
    reportsSubmitted: [],
    implementingDirectiveId: null,
    ladder: null,
    deadlineOverride: {},
    extensions: [],
    seq: 0,
    openChildren: [],
  };
}

export function isClosed(state: AssignmentState): boolean {
  return state.stage === Stage.COMPLETED || state.stage === Stage.REVOKED;
}

/** A relay level (neither leaf nor concretizing) passes the document on (on delivery or when it acknowledges). */
export function relays(state: AssignmentState): boolean {
  return !state.isLeaf && !state.mustConcretize;
}

function nextReportCycle(state: AssignmentState): ReportCycle | undefined {
  return state.reportCycles.find((c) => !state.reportsSubmitted.includes(c.cycle));
}

function concretizeDone(state: AssignmentState): boolean {
  return !state.mustConcretize || state.implementingDirectiveId !== null;
}

/** What the unit owes next, or null when nothing (closed, or every duty done). */
export function currentObligation(state: AssignmentState): Obligation | null {
  if (isClosed(state)) return null;
  if (state.ackVersion < state.directiveVersion) {
    return { key: obligationKeys.ack(state.directiveVersion), kind: 'ack' };
  }
  if (!concretizeDone(state)) return { key: obligationKeys.concretize, kind: 'concretize' };
  const cycle = nextReportCycle(state);
  if (cycle) return { key: obligationKeys.report(cycle.cycle), kind: 'report', cycle: cycle.cycle, dueAt: cycle.dueAt };
  return null;
}

/** True once every duty is done: the assignment moves to COMPLETED. */
export function dutiesDone(state: AssignmentState): boolean {
  return !isClosed(state) && currentObligation(state) === null;
}

// ---- Validators: a reason string rejects the action and nothing changes. ----

function ownUnit(unitCode: string, actor: string): string | null {
  return actor === unitCode ? null : `unit ${actor} cannot act for ${unitCode}`;
}

function notClosed(state: AssignmentState): string | null {
  return isClosed(state) ? `the assignment is ${state.stage}` : null;
}

export function validateAcknowledge(state: AssignmentState, unitCode: string, input: AcknowledgeInput): string | null {
  return (
    ownUnit(unitCode, input.actorUnitCode) ??
    notClosed(state) ??
    (state.ackVersion >= state.directiveVersion
      ? `version ${state.directiveVersion} is already acknowledged`
      : null)
  );
}

export function validateConcretize(state: AssignmentState, unitCode: string, input: ConcretizeInput): string | null {
  const base = ownUnit(unitCode, input.actorUnitCode) ?? notClosed(state);
  if (base) return base;
  if (state.isLeaf) return 'a unit with no units below it does not concretize';
  if (!state.mustConcretize) return 'the policy does not ask this level to concretize';
  if (state.implementingDirectiveId !== null) return 'already concretized';
  if (state.ackVersion < state.directiveVersion) return 'acknowledge the directive before concretizing it';
  if (!input.number.trim() || !input.title.trim()) return 'number and title are required';
  if (Number.isNaN(Date.parse(input.issuedAt))) return 'issuedAt must be a date';
  if (input.recipients?.includes(unitCode)) return 'a unit cannot forward to itself';
  return null;
}

export function validateReport(state: AssignmentState, unitCode: string, input: ReportInput): string | null {
  const base = ownUnit(unitCode, input.actorUnitCode) ?? notClosed(state);
  if (base) return base;
  if (!(input.completion >= 0 && input.completion <= 100)) return 'completion must be between 0 and 100';
  if (!input.summary.trim()) return 'summary is required';
  const owed = currentObligation(state);
  if (!owed || owed.kind !== 'report') {
    if (state.reportCycles.length === 0) return 'this directive asks for no report';
    if (owed?.kind === 'ack') return 'acknowledge the directive before reporting';
    if (owed?.kind === 'concretize') return 'concretize the directive before reporting';
    return 'every report cycle is already reported';
  }
  if (input.cycle !== undefined && input.cycle !== owed.cycle) {
    return state.reportsSubmitted.includes(input.cycle)
      ? `cycle ${input.cycle} is already reported`
      : `the next report owed is cycle ${owed.cycle}`;
  }
  return null;
}

export function validateExtensionRequest(
  state: AssignmentState,
  unitCode: string,
  input: ExtensionRequestInput,
): string | null {
  const base = ownUnit(unitCode, input.actorUnitCode) ?? notClosed(state);
  if (base) return base;
  if (!input.reason.trim()) return 'reason is required';
  if (state.extensions.some((e) => e.requestId === input.requestId)) return `request ${input.requestId} already exists`;
  if (state.extensions.some((e) => e.status === 'PENDING')) return 'an extension request is already pending';
  const ladder = state.ladder;
  if (!ladder || !currentObligation(state)) return 'nothing is due';
  const requested = Date.parse(input.requestedDeadline);
  if (Number.isNaN(requested)) return 'requestedDeadline must be a date';
  if (requested <= Date.parse(ladder.deadline)) return 'requestedDeadline must be later than the current deadline';
  return null;
}

export function validateExtensionDecision(
  state: AssignmentState,
  parentUnitCode: string,
  input: ExtensionDecisionInput,
): string | null {
  if (input.actorUnitCode !== parentUnitCode) {
    return `only ${parentUnitCode}, the unit above, decides this extension`;
  }
  const request = state.extensions.find((e) => e.requestId === input.requestId);
  if (!request) return `no extension request ${input.requestId}`;
  if (request.status !== 'PENDING') return `request ${input.requestId} is already ${request.status}`;
  return notClosed(state);
}

// ---- Transitions (call only after the matching validator accepted). ----

export function applyAcknowledge(state: AssignmentState): void {
  state.ackVersion = state.directiveVersion;
  if (state.stage === Stage.DELIVERED) {
    state.stage = state.forwarded ? Stage.FORWARDED : Stage.ACKNOWLEDGED;
  }
}

export function applyConcretize(state: AssignmentState, implementingDirectiveId: string): void {
  state.implementingDirectiveId = implementingDirectiveId;
  state.stage = Stage.CONCRETIZED;
}

export function applyForwarded(state: AssignmentState): void {
  state.forwarded = true;
  // Concretized and forwarded, or (relaying when it acknowledges) acknowledged and forwarded.
  if (state.stage === Stage.CONCRETIZED || state.stage === Stage.ACKNOWLEDGED) state.stage = Stage.FORWARDED;
}

export function applyReport(state: AssignmentState, cycle: number): void {
  state.reportsSubmitted.push(cycle);
  state.stage = Stage.REPORTED;
}

export function applyAmendment(state: AssignmentState, version: number): boolean {
  if (isClosed(state) || version <= state.directiveVersion) return false;
  state.directiveVersion = version;
  return true;
}

/** Records a pending extension request of what the unit owes now (its ladder's obligation). */
export function applyExtensionRequest(state: AssignmentState, input: ExtensionRequestInput): ExtensionView {
  const ladder = state.ladder!;
  const request: ExtensionView = {
    requestId: input.requestId,
    obligation: ladder.obligation,
    currentDeadline: ladder.deadline,
    requestedDeadline: new Date(input.requestedDeadline).toISOString(),
    reason: input.reason,
    status: 'PENDING',
  };
  state.extensions.push(request);
  return request;
}

export function applyExtensionDecision(state: AssignmentState, input: ExtensionDecisionInput): ExtensionView {
  const request = state.extensions.find((e) => e.requestId === input.requestId)!;
  request.status = input.approve ? 'APPROVED' : 'REJECTED';
  if (input.note !== undefined) request.note = input.note;
  if (input.approve) {
    state.deadlineOverride[request.obligation] = request.requestedDeadline;
    // A new deadline restarts the ladder: the loop plans it again from the override.
    if (state.ladder?.obligation === request.obligation) state.ladder = null;
  }
  return request;
}

/** The rung reached on what the unit owes now; 0 once it acted, was closed, or is not late. */
export function escalationRung(state: AssignmentState): number {
  return isOverdue(state) ? Math.max(0, state.ladder!.fired - 1) : 0;
}

export function isOverdue(state: AssignmentState): boolean {
  return !!state.ladder && state.ladder.fired > 0 && currentObligation(state)?.key === state.ladder.obligation;
}

export function view(
  state: AssignmentState,
  ids: { assignmentId: string; directiveId: string; unitCode: string },
): AssignmentView {
  const owed = currentObligation(state);
  return {
    ...ids,
    stage: state.stage,
    waitingFor: owed?.key ?? null,
    deadline: owed && state.ladder?.obligation === owed.key ? state.ladder.deadline : null,
    nextReminderAt: (owed && state.ladder?.obligation === owed.key && nextReminder(state.ladder)?.at) || null,
    overdue: isOverdue(state),
    escalationRung: escalationRung(state),
    directiveVersion: state.directiveVersion,
    ackVersion: state.ackVersion,
    reportsSubmitted: [...state.reportsSubmitted],
    implementingDirectiveId: state.implementingDirectiveId,
    extensions: state.extensions.map((e) => ({ ...e })),
    openChildren: state.openChildren.length,
  };
}

/** What the Temporal UI shows as the workflow's current details. */
export function describeWaiting(state: AssignmentState, unitName: string): string {
  const owed = currentObligation(state);
  if (!owed) {
    return state.openChildren.length
      ? `${state.stage}; waiting for ${state.openChildren.length} units below to close`
      : state.stage;
  }
  const what = { ack: 'acknowledgement', concretize: 'an implementing document', report: `report cycle ${owed.cycle}` }[
    owed.kind
  ];
  const deadline = state.ladder?.obligation === owed.key ? ` by ${state.ladder.deadline}` : '';
  const late = isOverdue(state) ? ` — OVERDUE, escalation rung ${escalationRung(state)}` : '';
  const reminder = state.ladder?.obligation === owed.key ? nextReminder(state.ladder) : undefined;
  const next = reminder ? `\n\nNext reminder: ${reminder.at} (${reminder.action}${reminder.before ? ', before the deadline' : `, repeat of rung ${reminder.rung}`})` : '';
  return `**${state.stage}**: waiting for ${what} from ${unitName}${deadline}${late}${next}`;
}
