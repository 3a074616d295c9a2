/**
 * The cascade's activities: their interface, inputs and results. Workflows proxy
 * `CascadeActivities`; `activities/` implements it. Workflows import these as types only.
 * Every timestamp is the workflow's clock (`at`), so persisted times agree with the
 * workflow's deadlines even when a test skips time.
 */
import type { TaskPartPlan, TaskRole } from './tasks';
import type { Actor } from './actor';
import type { PlannedReminder } from './workflow-inputs';
import type { AssignmentPolicy, EscalationAction, ExtensionView, EscalationStep, CalendarName, ReportCycle, Stage, TaskInput } from './definitions';

export interface UnitRef {
  code: string;
  name: string;
  /** Whether no unit lies below it: where its assignment runs (contract/task-queues.ts). */
  leaf: boolean;
}

export interface LadderPlan {
  deadline: string;
  /** [deadline, deadline + rung 1's `after`, …] */
  times: string[];
  /** Asked for with `reminders`: the reminders and repeats still ahead, by time. */
  reminders?: PlannedReminder[];
}

export interface PlanLadderInput {
  from: string;
  /** Count `within` from `from` on the calendar … */
  within?: string;
  /** … or use this absolute due date. */
  dueAt?: string;
  escalation: EscalationStep[];
  calendar: CalendarName;
  /** Plan reminders before the deadline and rung repeats (runs that take the reminders patch). */
  reminders?: boolean;
}

export interface DeliverInput {
  assignmentId: string;
  directiveId: string;
  unitCode: string;
  parentAssignmentId: string | null;
  parentUnitCode: string | null;
  receivedDirectiveId: string;
  /** 1 for the issuer's recipients, 2 for the units below them, … */
  relDepth: number;
  /** The level rules are not here: the delivery reads them from the directive's stored policy. */
  policy: AssignmentPolicy;
  baseCycles: ReportCycle[];
  directiveVersion: number;
  at: string;
  /** The event sequence of the delivery: 0, or the first of an admin-retried attempt. */
  seq?: number;
  /** Plan the acknowledgement's reminders too (runs that take the reminders patch). */
  reminders?: boolean;
}

export interface DeliverResult {
  unitName: string;
  level: string;
  isLeaf: boolean;
  mustConcretize: boolean;
  children: UnitRef[];
  reportCycles: ReportCycle[];
  ackPlan: LadderPlan;
}

export type EventType =
  | 'FORWARDED'
  | 'ACKNOWLEDGED'
  | 'COMPLETED'
  | 'REVOKED'
  | 'AMENDED'
  | 'OVERDUE'
  | 'ESCALATED'
  | 'EXTENSION_REQUESTED'
  | 'EXTENSION_DECIDED'
  | 'DEADLINE_SET'
  | 'RETRIED'
  | 'TASK_REPORTED'
  | 'REMINDED';

export interface AssignmentPatch {
  stage?: Stage;
  waitingFor?: string | null;
  nextDeadline?: string | null;
  /** When the ladder's next reminder is due (null when none is planned). */
  nextReminderAt?: string | null;
  overdue?: boolean;
  escalationRung?: number;
  ackVersion?: number;
  directiveVersion?: number;
  reportCycle?: number;
}

export interface Notification {
  kind: string;
  recipientUnit: string | null;
  payload: Record<string, unknown>;
}

export interface PersistEventInput {
  assignmentId: string;
  directiveId: string;
  unitCode: string;
  /** The workflow's event sequence: `${assignmentId}#${seq}` makes a retried write a no-op. */
  seq: number;
  at: string;
  type: EventType;
  data?: Record<string, unknown>;
  patch?: AssignmentPatch;
  /** Resolve this assignment's open escalations with this resolution … */
  resolveEscalations?: string;
  /**
   * … only those of this obligation (e.g. `ack@2`, `report#1`), when given; all open ones
   * otherwise (completion, revocation). An extension decision resolves only the escalations
   * of the extension's own obligation, whatever this says.
   */
  obligation?: string;
  /** For a task part: which task and in which role, so its obligations are counted per task. */
  task?: { taskId: string; role: TaskRole };
  escalation?: {
    obligation: string;
    rung: number;
    action: EscalationAction;
    targetUnitCode: string | null;
    deadline: string;
  };
  /** `decidedBy` is the deciding unit; `requestedBy` and `decisionBy` who asked and who decided. */
  extension?: ExtensionView & { decidedBy?: string; requestedBy?: Actor; decisionBy?: Actor };
  notify?: Notification[];
  /** The obligation the unit owes after this event, when its deadline must be planned. */
  next?: NextObligation;
  /** What the unit owes after this event (null when nothing); written even without `next`. */
  waitingFor?: string | null;
  /**
   * The event also completes the assignment (an acknowledgement that was the unit's last
   * duty): a COMPLETED event follows it at `seq + 1`, recorded in the same write, and every
   * escalation still open resolves as "completed".
   */
  completes?: boolean;
}

export interface NextObligation {
  obligation: string;
  plan: PlanLadderInput;
}

export interface PersistResult {
  /** Present when `next` was given: the planned deadline and ladder times. */
  plan?: LadderPlan;
}

export interface ConcretizeActivityInput {
  assignmentId: string;
  rootDirectiveId: string;
  unitCode: string;
  seq: number;
  at: string;
  number: string;
  title: string;
  issuedAt: string;
  /** Who issued the implementing document (absent in inputs recorded before actors existed). */
  by?: Actor;
  body?: string;
  tasks?: TaskInput[];
  recipients?: string[];
  receivedDirectiveId: string;
  /** How the document's task parts are dated. */
  taskPolicy: { calendar: CalendarName; coordinatorLeadTime?: string; until?: string };
}

export interface ConcretizeResult {
  implementingDirectiveId: string;
  recipients: UnitRef[];
  /** The lead and coordinating units' parts of the document's tasks, with their due dates. */
  taskParts?: TaskPartPlan[];
}

export interface ReportActivityInput {
  assignmentId: string;
  directiveId: string;
  unitCode: string;
  seq: number;
  at: string;
  cycle: number;
  dueAt: string | null;
  summary: string;
  completion: number;
  metrics?: Record<string, number>;
  /** Who reported (absent in inputs recorded before actors existed). */
  by?: Actor;
  /** The stage the assignment moves to (REPORTED, or COMPLETED after the last cycle). */
  stage: Stage;
  next?: NextObligation;
}

export interface ReportResult {
  onTime: boolean;
  rollup: Rollup;
  plan?: LadderPlan;
}

export interface Rollup {
  cycle: number;
  children: number;
  onTime: number;
  late: number;
  missing: number;
  averageCompletion: number | null;
}

/** An assignment the engine could not carry on: recorded as stage FAILED, the issuer told. */
export interface IncidentInput {
  directiveId: string;
  unitCode: string;
  issuerCode: string;
  /** Who noticed: the assignment itself, or its forwarder (for a child terminated or lost). */
  reportedBy: 'self' | 'parent';
  /** The run's attempt: one incident is recorded per attempt. */
  attempt: number;
  reason: string;
  at: string;
}

/** Every activity the workflows call; `createActivities` in activities/ implements it. */
export interface CascadeActivities {
  /** Records the unit's assignment (seq 0) and plans its first deadline. */
  deliver(input: DeliverInput): Promise<DeliverResult>;
  /** Records one transition, its escalation, extension and notifications; plans what is owed next. */
  persistEvent(input: PersistEventInput): Promise<PersistResult>;
  /** Records the unit's implementing document and resolves whom it goes to. */
  recordConcretize(input: ConcretizeActivityInput): Promise<ConcretizeResult>;
  /** Records a report with its children's rollup. */
  submitReport(input: ReportActivityInput): Promise<ReportResult>;
  /** Names for unit codes, in order; unknown codes are a business rejection. */
  unitRefs(codes: string[]): Promise<UnitRef[]>;
  /** The units directly below a unit, by code. */
  childrenOf(unitCode: string): Promise<UnitRef[]>;
  /** Records an incident (idempotent per assignment and attempt) and notifies the issuer. */
  recordIncident(input: IncidentInput): Promise<void>;
  /** Writes this morning's digests to the outbox (none on a day off; none twice a day). */
  enqueueDigests(input: DigestInput): Promise<DigestResult>;
}

export interface DigestInput {
  /** The digest's instant (the workflow's clock): its local date names it. */
  at: string;
  /** How many working days ahead "due soon" reaches. */
  dueSoonDays: number;
}

export interface DigestResult {
  date: string;
  workingDay: boolean;
  /** Digests written (one per unit with digest contacts and something due). */
  messages: number;
}
