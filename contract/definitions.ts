/**
 * Every signal, query and update of the cascade, with its input types. Workflows and the
 * API import them from here, so both sides always agree on names and shapes.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor } from './actor';

/** String-valued so that the read model, search attributes and the API show the same words. */
export enum Stage {
  DELIVERED = 'DELIVERED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  CONCRETIZED = 'CONCRETIZED',
  FORWARDED = 'FORWARDED',
  REPORTED = 'REPORTED',
  COMPLETED = 'COMPLETED',
  REVOKED = 'REVOKED',
  /**
   * An incident: the engine could not carry the assignment on (an error retrying cannot
   * fix, or the workflow was terminated). Closed, counted, visible; an admin may retry it.
   */
  FAILED = 'FAILED',
}

export const OPEN_STAGES: readonly Stage[] = [
  Stage.DELIVERED,
  Stage.ACKNOWLEDGED,
  Stage.CONCRETIZED,
  Stage.FORWARDED,
  Stage.REPORTED,
];

export const ESCALATION_ACTIONS = ['remind', 'notify_parent', 'escalate_to_issuer'] as const;
export type EscalationAction = (typeof ESCALATION_ACTIONS)[number];
export const CALENDAR_NAMES = ['none', 'vn-working-days'] as const;
export type CalendarName = (typeof CALENDAR_NAMES)[number];

/**
 * One step of an obligation's ladder: a rung `after` the deadline (an escalation), or a
 * reminder `before` it, both counted on the policy's calendar. Either may repeat `every`
 * so long, at most `times` more times, until the unit acts (a rung's repeats stop at the
 * next rung, a reminder's at the deadline).
 */
export interface EscalationStep {
  /** ISO-8601 duration past the deadline, e.g. "PT0S" (at the deadline), "P2D" … */
  after?: string;
  /** … or ahead of it, e.g. "P1D": a reminder that the deadline is coming. */
  before?: string;
  action: EscalationAction;
  every?: string;
  times?: number;
}

/** A rung past the deadline (it has `after`). */
export type RungStep = EscalationStep & { after: string };

/** The escalation rungs of a ladder, in order: rung n is the n-th (reminders excluded). */
export function rungSteps(escalation: EscalationStep[]): RungStep[] {
  return escalation.filter((step): step is RungStep => step.after !== undefined);
}

/** When a policy names no reminder: one, a day (a working day on that calendar) before each deadline. */
export const DEFAULT_REMINDER: EscalationStep = { before: 'P1D', action: 'remind' };

/** The policy as the workflows see it: durations stay ISO strings, computed by activities. */
export interface CascadePolicy {
  ackWithin: string;
  concretizeWithin?: string;
  /** Subtracted once per level below the issuer's recipients, so lower levels report first. */
  levelLeadTime?: string;
  escalation: EscalationStep[];
  calendar: CalendarName;
  /**
   * An explicit override: exactly these levels issue their own implementing document; the
   * others relay the parent's. Absent: every level with units below concretizes, except
   * `relayLevels`.
   */
  concretizeLevels?: string[];
  /** Levels exempted from concretizing: they pass the received document on. */
  relayLevels?: string[];
  /**
   * When a relaying level passes the document on: when it acknowledges (the default, and
   * what an absent value means) or at once on delivery (the fast path).
   */
  relay?: RelayMode;
  /** How much earlier than the lead unit a task's coordinating units owe their contribution. */
  coordinatorLeadTime?: string;
}

export const RELAY_MODES = ['on_acknowledge', 'on_delivery'] as const;
export type RelayMode = (typeof RELAY_MODES)[number];

/**
 * The rules that differ by level: who concretizes and how much earlier each level reports.
 * Stored once, with the directive in the read model; a delivery reads them there.
 */
export type LevelRules = Pick<CascadePolicy, 'concretizeLevels' | 'relayLevels' | 'levelLeadTime'>;

/**
 * What an assignment workflow itself reads of the policy (its deadlines, ladder, calendar,
 * relay moment): the part every child's input carries.
 */
export type AssignmentPolicy = Omit<CascadePolicy, keyof LevelRules>;

export function assignmentPolicy(p: AssignmentPolicy): AssignmentPolicy {
  return {
    ackWithin: p.ackWithin,
    ...(p.concretizeWithin !== undefined ? { concretizeWithin: p.concretizeWithin } : {}),
    escalation: p.escalation,
    calendar: p.calendar,
    ...(p.relay !== undefined ? { relay: p.relay } : {}),
    ...(p.coordinatorLeadTime !== undefined ? { coordinatorLeadTime: p.coordinatorLeadTime } : {}),
  };
}

/** The level rules a policy states (a whole policy, or a stored one with more fields). */
export function levelRulesOf(p: LevelRules): LevelRules {
  return {
    ...(p.concretizeLevels !== undefined ? { concretizeLevels: p.concretizeLevels } : {}),
    ...(p.relayLevels !== undefined ? { relayLevels: p.relayLevels } : {}),
    ...(p.levelLeadTime !== undefined ? { levelLeadTime: p.levelLeadTime } : {}),
  };
}

/** Whether a unit of `level` with units below it must concretize under `policy`. */
export function concretizesAt(policy: Pick<CascadePolicy, 'concretizeLevels' | 'relayLevels'>, level: string): boolean {
  if (policy.concretizeLevels) return policy.concretizeLevels.includes(level);
  return !(policy.relayLevels ?? []).includes(level);
}

/** One reporting cycle, as the issuer's recipients owe it (before per-level lead time). */
export interface ReportCycle {
  cycle: number;
  dueAt: string;
}

export interface TaskInput {
  title: string;
  leadUnitCode?: string;
  coordinatingUnits?: string[];
  dueAt?: string;
  recurrence?: string;
}

// ---- Updates: unit actions. The caller learns at once whether the action was accepted. ----
// `by` is who took the action (contract/actor.ts): optional, since the Updates recorded in
// histories before actors existed carry none, and those histories must still replay.

export interface AcknowledgeInput {
  actorUnitCode: string;
  by?: Actor;
  note?: string;
}

export interface ConcretizeInput {
  actorUnitCode: string;
  by?: Actor;
  number: string;
  title: string;
  issuedAt: string;
  body?: string;
  tasks?: TaskInput[];
  /** Descendants of the unit; default: its children. */
  recipients?: string[];
}

export interface ReportInput {
  actorUnitCode: string;
  by?: Actor;
  /** Defaults to the next cycle the unit owes. */
  cycle?: number;
  summary: string;
  completion: number;
  metrics?: Record<string, number>;
}

export interface ExtensionRequestInput {
  actorUnitCode: string;
  by?: Actor;
  /** A stable id chosen by the caller, so a retried request is recognised. */
  requestId: string;
  requestedDeadline: string;
  reason: string;
}

export interface ExtensionDecisionInput {
  /** The parent unit (or the issuer, for the issuer's direct recipients). */
  actorUnitCode: string;
  by?: Actor;
  requestId: string;
  approve: boolean;
  note?: string;
}

export const acknowledgeUpdate = defineUpdate<AssignmentView, [AcknowledgeInput]>('acknowledge');
export const concretizeUpdate = defineUpdate<AssignmentView, [ConcretizeInput]>('concretize');
export const reportUpdate = defineUpdate<AssignmentView, [ReportInput]>('report');
export const requestExtensionUpdate = defineUpdate<AssignmentView, [ExtensionRequestInput]>(
  'requestExtension',
);
export const decideExtensionUpdate = defineUpdate<AssignmentView, [ExtensionDecisionInput]>(
  'decideExtension',
);

// ---- Signals: amendments and revocations travel down the tree; children report closing. ----

export interface AmendInput {
  version: number;
  note?: string;
  /** Who amended the directive (absent in signals sent before actors existed). */
  by?: Actor;
}
export interface RevokeInput {
  reason?: string;
  /** Who revoked the directive (absent in signals sent before actors existed). */
  by?: Actor;
}
export const amendSignal = defineSignal<[AmendInput]>('amend');
export const revokeSignal = defineSignal<[RevokeInput]>('revoke');
/**
 * Sent by a child to its Temporal parent when it closes: always by a task part; by an
 * assignment or a relay only once asked (below), since the parent reads their results.
 */
export const childClosedSignal = defineSignal<[string]>('childClosed');
/**
 * From a parent's run that cannot learn of a child's close from the child's result (it
 * continued-as-new, or an admin retried it): "tell me when you close".
 */
export const closeNoticeRequestSignal = defineSignal('closeNoticeRequest');

// ---- Queries ----

export interface ExtensionView {
  requestId: string;
  obligation: string;
  currentDeadline: string;
  requestedDeadline: string;
  reason: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  note?: string;
}

export interface AssignmentView {
  assignmentId: string;
  directiveId: string;
  unitCode: string;
  stage: Stage;
  /** What the unit owes next ("ack@1", "concretize", "report#2"), or null when closed. */
  waitingFor: string | null;
  deadline: string | null;
  /** When the ladder sends its next reminder about what the unit owes (null when none is planned). */
  nextReminderAt: string | null;
  overdue: boolean;
  escalationRung: number;
  directiveVersion: number;
  ackVersion: number;
  reportsSubmitted: number[];
  implementingDirectiveId: string | null;
  extensions: ExtensionView[];
  openChildren: number;
}

export const stateQuery = defineQuery<AssignmentView>('state');
