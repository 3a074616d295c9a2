/**
 * What the API answers, as the dashboard reads it. Fields that other work is adding to the
 * API are optional here (marked "when the API gives it"); api/counts.ts turns whichever
 * shape arrives into the four official counts.
 */

export type Stage =
  | 'DELIVERED'
  | 'ACKNOWLEDGED'
  | 'CONCRETIZED'
  | 'FORWARDED'
  | 'REPORTED'
  | 'COMPLETED'
  | 'REVOKED'
  | 'FAILED';

export const OPEN_STAGES: readonly Stage[] = [
  'DELIVERED',
  'ACKNOWLEDGED',
  'CONCRETIZED',
  'FORWARDED',
  'REPORTED',
];
export const STAGE_ORDER: readonly Stage[] = [...OPEN_STAGES, 'COMPLETED', 'FAILED', 'REVOKED'];

export interface UnitRef {
  code: string;
  name: string;
  level: string;
}

export type Role = 'clerk' | 'officer' | 'leader';

export interface Session {
  kind: 'admin' | 'unit';
  unit: UnitRef | null;
  temporalUi: string;
  /** The signed-in person; null with a bearer token. */
  person?: { name: string; position: string | null } | null;
  /** The roles held in the unit; every one for the admin. */
  roles?: Role[];
}

/** The four official statuses (done on time, done late, open within deadline, overdue). */
export interface OfficialCounts {
  onTime: number;
  late: number;
  open: number;
  overdue: number;
}

export interface LevelProgress {
  total: number;
  overdue: number;
  byStage: Record<string, number>;
  [extra: string]: unknown;
}

export interface Progress {
  total: number;
  open: number;
  overdue: number;
  failed?: number;
  byStage: Record<string, number>;
  byLevel: Record<string, LevelProgress>;
  openEscalations: number;
  tasks?: TaskProgress[];
  [extra: string]: unknown;
}

export interface Task {
  seq: number;
  title: string;
  leadUnitCode: string | null;
  coordinatingUnits: string[];
  dueAt: string | null;
  recurrence: string | null;
}

export interface Directive {
  id: string;
  number: string;
  kind: string;
  title: string;
  issuerCode: string;
  issuedAt: string;
  body: string | null;
  basedOn: string[];
  status: string;
  version: number;
  recipients: string[];
  tasks: Task[];
  progress: Progress;
  policy?: unknown;
}

/** A row of GET /directives (when the API gives it). */
export interface DirectiveListItem {
  id: string;
  number: string;
  kind: string;
  title: string;
  issuerCode: string;
  issuedAt: string;
  status: string;
  [extra: string]: unknown;
}

export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

export interface UnitStatusCounts extends OfficialCounts {
  total: number;
  failed: number;
  revoked: number;
}

export interface MapCell extends UnitRef {
  hasChildren: boolean;
  assignment: {
    stage: Stage;
    overdue: boolean;
    escalationRung: number;
    waitingFor: string | null;
    nextDeadline: string | null;
  } | null;
  counts: UnitStatusCounts;
}

export interface CascadeMap {
  parent: UnitRef;
  trail: UnitRef[];
  cells: MapCell[];
  totals: UnitStatusCounts;
}

export interface AssignmentRow {
  id: string;
  directiveId: string;
  unitCode: string;
  level: string;
  depth: number;
  parentUnitCode: string | null;
  receivedDirectiveId: string;
  implementingDirectiveId: string | null;
  stage: Stage;
  mustConcretize: boolean;
  isLeaf: boolean;
  ackVersion: number;
  directiveVersion: number;
  nextDeadline: string | null;
  nextReminderAt: string | null;
  waitingFor: string | null;
  overdue: boolean;
  escalationRung: number;
  reportCycle: number;
  deliveredAt: string;
  failureReason?: string | null;
  attempt?: number;
  updatedAt: string;
}

export type MailStatus = 'PENDING' | 'SENT' | 'FAILED' | 'NO_RECIPIENT';

/** One recipient's e-mail of a notifying timeline event. */
export interface TimelineDelivery {
  unitCode: string | null;
  email: string | null;
  status: MailStatus;
  notBefore: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
}

/** Who took an action: a signed-in person, a unit token or the admin, in the role it was taken in. */
export interface Actor {
  kind: 'person' | 'token' | 'admin';
  id: string;
  name: string;
  role: 'clerk' | 'officer' | 'leader' | 'admin';
  position?: string | null;
  unitCode: string | null;
}

export interface TimelineEvent {
  type: string;
  at: string;
  data: Record<string, unknown> | null;
  /** Null for events nobody took (deadlines, escalations) and those recorded before actors existed. */
  by: Actor | null;
  deliveries?: TimelineDelivery[];
}

export interface Contact {
  id: string;
  unitCode: string;
  name: string;
  email: string;
  language: 'vi' | 'en';
  delivery: 'each' | 'digest' | 'both';
  personId: string | null;
  createdAt: string;
}

export interface EmailDelivery extends TimelineDelivery {
  id: string;
  kind: string;
  directiveId: string;
  firedAt: string;
}

export interface UnreachableUnit {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
}

export interface Escalation {
  id: string;
  unitCode: string;
  obligation: string;
  rung: number;
  action: string;
  targetUnitCode: string | null;
  deadline: string;
  firedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
}

export interface ExtensionRequest {
  id: string;
  obligation: string;
  currentDeadline: string;
  requestedDeadline: string;
  reason: string;
  status: 'PENDING' | 'APPROVED' | 'REJECTED';
  decidedBy: string | null;
  decisionNote: string | null;
  requestedAt: string;
  decidedAt: string | null;
  requestedBy: Actor | null;
  decisionBy: Actor | null;
}

export interface Report {
  cycle: number;
  summary: string;
  completion: number;
  submittedAt: string;
  onTime: boolean;
  dueAt: string | null;
  by: Actor | null;
}

export interface DocumentLink {
  id: string;
  number: string;
  kind: string;
  title: string;
  issuerCode: string;
  issuedAt: string;
  parentId: string | null;
}

export interface Rollup {
  cycle: number;
  children: number;
  onTime: number;
  late: number;
  missing: number;
  averageCompletion: number | null;
}

export type OfficialStatus =
  'DONE_ON_TIME' | 'DONE_LATE' | 'OPEN_WITHIN_DEADLINE' | 'OVERDUE' | 'CANCELLED';

/** One obligation of an assignment with its official status. */
export interface Obligation {
  key: string;
  kind: string;
  deadline: string;
  doneAt: string | null;
  status: OfficialStatus | string;
  role?: string | null;
  taskId?: string | null;
}

/** A task of the cascade: its lead's and coordinators' parts and who is late. */
export interface TaskProgress {
  taskId: string;
  taskRef: string;
  title: string | null;
  leadUnitCode: string | null;
  parts: Array<{
    unitCode: string;
    role: string;
    key: string;
    deadline: string;
    doneAt: string | null;
    status: OfficialStatus | string;
  }>;
  late: string[];
}

export interface AssignmentDetail extends AssignmentRow {
  timeline: TimelineEvent[];
  extensionRequests: ExtensionRequest[];
  escalations: Escalation[];
  reports: Report[];
  documents: DocumentLink[];
  childrenRollup: Rollup[];
  obligations?: Obligation[];
  [extra: string]: unknown;
}

export interface InboxItem extends AssignmentRow {
  directive: {
    id: string;
    number: string;
    title: string;
    issuerCode: string;
    status: string;
  } | null;
}

export interface DocumentNode {
  id: string;
  number: string;
  kind: string;
  title: string;
  issuedAt: string;
  parentId: string | null;
  issuer: UnitRef;
  children: number;
}

export interface UnitWithChildren extends UnitRef {
  parentCode: string | null;
  children: UnitRef[];
}
