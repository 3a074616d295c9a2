/**
 * The inputs of the cascade's workflows, shared by the workflows that start them and the
 * API that starts the root. State carried across continue-as-new is part of this contract:
 * from release 1.0 a run started by an older worker must be readable by a newer one, so a
 * field is only ever added, optional.
 */
import type { AmendInput, AssignmentPolicy, CascadePolicy, EscalationAction, ExtensionView, ReportCycle, Stage } from './definitions';
import type { Actor } from './actor';
import type { UnitRef } from './activities';
import type { TaskPartPlan } from './tasks';

/** Input of a cascade's root workflow. */
export interface DirectiveWorkflowInput {
  directiveId: string;
  number: string;
  issuerCode: string;
  /** Unit codes; resolved by the API (explicit list or the issuer's children). */
  recipients: string[];
  policy: CascadePolicy;
  cycles: ReportCycle[];
  version: number;
  maxFanout: number;
  /** The largest wave of children one workflow starts at once (CASCADE_START_WAVE; absent: 1). */
  startWave?: number;
  /** The lead and coordinating units' parts in the directive's tasks (planned at issue). */
  taskParts?: TaskPartPlan[];
}


/** Input of one unit's assignment workflow. */
export interface AssignmentWorkflowInput {
  /** The root directive: the cascade's id. */
  directiveId: string;
  /** The root directive's number, for search attributes. */
  directiveNumber: string;
  /** The document this unit receives (root or its forwarder's implementing document). */
  receivedDirectiveId: string;
  documentNumber: string;
  issuerCode: string;
  unitCode: string;
  parentAssignmentId: string | null;
  /** The unit that forwarded it: decides its extensions, is notified of its lateness. */
  parentUnitCode: string;
  /** The workflow to tell when this one closes (the forwarder or a relay). */
  temporalParentId: string;
  relDepth: number;
  /** The workflow's part of the policy; the level rules stay with the directive (read model). */
  policy: AssignmentPolicy;
  baseCycles: ReportCycle[];
  directiveVersion: number;
  maxFanout: number;
  /**
   * The largest wave of children this workflow starts at once (fanOut): the issuer's setting
   * (CASCADE_START_WAVE) carried down the tree in the input, so a run replays with it.
   * Absent: one at a time.
   */
  startWave?: number;
  /**
   * 0 for the run its forwarder started; n for the n-th run an admin started after an
   * incident. Event sequences of attempt n start at n × ATTEMPT_SEQ_SPAN, so a retried
   * run never reuses an idempotency key of an earlier one.
   */
  attempt?: number;
  /** State carried across continue-as-new (or into an admin retry). */
  carried?: CarriedAssignment;
}

/** Event sequences one attempt of an assignment may use before the next attempt's begin. */
export const ATTEMPT_SEQ_SPAN = 1_000_000;

/** What a run hands to the next (continue-as-new, or an admin's retry). */
export interface CarriedAssignment {
  state: AssignmentState;
  unitName: string;
  level: string;
  /** Messages received but not yet applied when the run continued-as-new. */
  pending: { revokeReason?: string; revokedBy?: Actor; amendment?: AmendInput };
  /** A later run of the parent asked for childClosed (closeNoticeRequest): the next run owes it too. */
  noticeOwed: boolean;
}

/** What every child assignment of one forwarding shares; the unit and parent id vary. */
export type ChildTemplate = Omit<AssignmentWorkflowInput, 'unitCode' | 'temporalParentId' | 'carried'>;

/** Input of a relay: one slice of a recipient list too large for one workflow to start. */
export interface RelayWorkflowInput {
  template: ChildTemplate;
  fromUnitCode: string;
  batch: string;
  recipients: UnitRef[];
  temporalParentId: string;
}

/** Times at which the deadline passes (index 0) and each escalation rung fires (1..n). */
export interface Ladder {
  obligation: string;
  deadline: string;
  times: string[];
  fired: number;
  /** Messages between the rungs: reminders before the deadline, repeats of a rung; by time. */
  reminders?: PlannedReminder[];
  /** How many of `reminders` fired (or were passed over, once stale). */
  remindersFired?: number;
}

/** A reminder the ladder sends without moving a rung. */
export interface PlannedReminder {
  at: string;
  action: EscalationAction;
  /** Ahead of the deadline ("sắp đến hạn"), or a repeat of the rung it follows. */
  before: boolean;
  /** The rung it repeats (0 for a reminder before the deadline). */
  rung: number;
  /** 0 for the first firing of a step, n for its n-th repeat. */
  repeat: number;
}

export interface AssignmentState {
  stage: Stage;
  isLeaf: boolean;
  mustConcretize: boolean;
  /** Relay levels forward the received document on delivery, before acknowledging. */
  forwarded: boolean;
  directiveVersion: number;
  ackVersion: number;
  /** This unit's own report due dates (per-level lead time already applied). */
  reportCycles: ReportCycle[];
  reportsSubmitted: number[];
  implementingDirectiveId: string | null;
  ladder: Ladder | null;
  /** Deadlines moved by approved extensions, by obligation key. */
  deadlineOverride: Record<string, string>;
  extensions: ExtensionView[];
  /** Sequence of persisted events: the idempotency key of every read-model write. */
  seq: number;
  /** Workflow ids of children (assignments or relays) that have not closed yet. */
  openChildren: string[];
}

