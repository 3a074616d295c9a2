/**
 * The read model as the rest of the engine sees it: repositories of plain functions that
 * take and return plain objects declared in this codebase. Use-cases, permissions and
 * activities depend on these interfaces, never on the Prisma client; read-model/store.ts
 * binds them to one client, once, in each process's composition root.
 */
import type { Actor } from '../contract/actor';
import type { AssignmentView, LevelRules } from '../contract/definitions';
import type {
  DeliverInput,
  IncidentInput,
  LadderPlan,
  PersistEventInput,
  ReportActivityInput,
  Rollup,
  UnitRef,
} from '../contract/activities';
import type { UnitInput } from '../domain/units/tree';
import type {
  AssignmentFilter,
  AssignmentHistory,
  AssignmentRow,
  EscalationFilter,
  EscalationRecord,
  ExtensionRequestRecord,
  InboxItem,
  Progress,
  ReportContent,
} from './assignments';
import type { AuditInput, AuditRecord } from './audit';
import type { OpenDeadline } from './calendar-feeds';
import type { ContactRecord, NewContact, UnreachableUnit } from './contacts';
import type { DeliveryRecord } from './mail-deliveries';
import type { DocumentFileRecord } from './document-files';
import type { PersonInput, PersonRow } from './people';
import type { DraftKind, DraftRow } from './drafts';
import type { CascadeMap, DocumentNode, UnitPathRow } from './dashboard';
import type {
  DirectiveListFilter,
  DirectiveListItem,
  DirectiveRow,
  DirectiveWithTasks,
  DocumentLink,
  NewRootDirective,
  DirectiveAmendment,
} from './directives';
import type { ObligationState, OfficialCounts, TaskProgress } from './obligations';
import type { Page } from './page';
import type { RecipientResolution } from './recipients';
import type { TokenInfo, TokenOwner } from './tokens';
import type { QuotaCounts } from './issuing';
import type { DigestOutcome } from './digest';
import type { DigestWindow } from '../domain/digest-window';
import type { ImplementingDocument } from './transitions';
import type { UnitWithChildren, UpsertUnitsResult } from './units';

/** The receiving unit as a delivery needs it. */
export interface UnitForDelivery {
  name: string;
  level: string;
  depth: number;
  children: UnitRef[];
}

/** Units and the tree they form. */
export interface UnitRepository {
  /** The unit's materialized path ("/ROOT/…/CODE/"), or null when no unit has this code. */
  pathOf(code: string): Promise<string | null>;
  /** The unit with its direct children, or null. */
  get(code: string): Promise<UnitWithChildren | null>;
  /** The unit with its path and depth, or null. */
  withPath(code: string): Promise<UnitPathRow | null>;
  /** Name, level and path of the units among `codes` that exist. */
  named(codes: string[]): Promise<Array<Omit<UnitPathRow, 'depth'>>>;
  /** Code, name and leaf flag of the units among `codes` that exist, in no particular order. */
  refs(codes: string[]): Promise<UnitRef[]>;
  /** The unit with its children as recipients, or null: what a delivery reads. */
  forDelivery(code: string): Promise<UnitForDelivery | null>;
  /** Levels of units below the unit (0: none), or null when it does not exist. */
  levelsBelow(code: string): Promise<number | null>;
  /** Codes of the units in the subtree rooted at `rootPath`, the root included. */
  subtreeCodes(rootPath: string): Promise<string[]>;
  /** Code, name, level and parent of the units in the subtree rooted at `rootPath`, the root included. */
  subtree(rootPath: string): Promise<Array<{ code: string; name: string; level: string; parentCode: string | null }>>;
  /** Who receives a document the unit issues: the named units below it, or its children. */
  recipients(unitCode: string, codes?: string[]): Promise<RecipientResolution>;
  /** The named units that are neither the unit nor below it. */
  outside(unitCode: string, codes: string[]): Promise<string[]>;
  /** Creates or updates units in one transaction; throws UnitTreeError when the tree would break. */
  upsert(units: UnitInput[]): Promise<UpsertUnitsResult>;
}

/** Directives: cascades' roots and units' implementing documents. */
export interface DirectiveRepository {
  find(id: string): Promise<DirectiveRow | null>;
  /** The directive when it is the root of a cascade, else null. */
  findRoot(id: string): Promise<DirectiveRow | null>;
  /** The document the issuer numbered so (numbers are unique per issuer), or null. */
  byNumber(issuerCode: string, number: string): Promise<DirectiveRow | null>;
  /** The directive with its tasks, or null. */
  withTasks(id: string): Promise<DirectiveWithTasks | null>;
  /** The documents from the root down to `id`. */
  chain(id: string): Promise<DocumentLink[]>;
  /** Documents matching the filter, newest issue date first. */
  list(f: DirectiveListFilter): Promise<Page<DirectiveListItem>>;
  /** One level of the cascade's document tree, filtered by the issuer's path. */
  level(rootId: string, parentId: string | null, visible: (issuerPath: string | null) => boolean): Promise<DocumentNode[]>;
  /** The level rules of a cascade's stored policy, or null when the directive is unknown. */
  levelRules(rootId: string): Promise<LevelRules | null>;
  /**
   * Records an ACTIVE root directive with its tasks, under the issuer's lock (one issue per
   * issuer at a time, across processes), once `check` has passed on counts read under that
   * lock. False, writing nothing, when the issuer already has a document with this number.
   */
  createRootExclusive(d: NewRootDirective, check: (counts: QuotaCounts) => Promise<void>): Promise<boolean>;
  /** Bumps an active root's version and runs `notify` in the same transaction; null when not active. */
  amendActive(id: string, changes: DirectiveAmendment, notify: (version: number) => Promise<void>): Promise<number | null>;
  /** Revokes an active root and runs `notify` in the same transaction; false when not active. */
  revokeActive(id: string, notify: () => Promise<void>, by?: Actor): Promise<boolean>;
}

/** Assignments and what is recorded about them. */
export interface AssignmentRepository {
  find(directiveId: string, unitCode: string): Promise<AssignmentRow | null>;
  exists(directiveId: string, unitCode: string): Promise<boolean>;
  /** Totals by stage and level, overdue and failed counts, open escalations. */
  /** Counts over the cascade, or over these units' assignments only. */
  progress(directiveId: string, unitCodes?: string[]): Promise<Progress>;
  list(directiveId: string, f: AssignmentFilter): Promise<Page<AssignmentRow>>;
  history(assignmentId: string): Promise<AssignmentHistory>;
  /** The assignment as its workflow's state query shows it, rebuilt from the read model. */
  viewOf(row: AssignmentRow): Promise<AssignmentView>;
  extensionRequest(assignmentId: string, requestId: string): Promise<ExtensionRequestRecord | null>;
  /** The recorded acknowledgement of one directive version, or null while it is not recorded. */
  acknowledgementOf(assignmentId: string, version: number): Promise<Record<string, unknown> | null>;
  reportsOf(assignmentId: string): Promise<ReportContent[]>;
  escalations(directiveId: string, f: EscalationFilter): Promise<Page<EscalationRecord>>;
  /** A unit's open assignments across directives. */
  inbox(unitCode: string, page: { limit: number; offset: number }): Promise<Page<InboxItem>>;
  /** The children's reports of one cycle, rolled up. */
  rollup(parentAssignmentId: string, cycle: number): Promise<Rollup>;
  /** The cascade rolled up by the subtrees directly below `parent`. */
  map(directiveId: string, parent: UnitPathRow, rootCode: string): Promise<CascadeMap>;
}

/** Obligations: what each unit owes by when, and the official counts. */
export interface ObligationRepository {
  officialCounts(directiveId: string, unitCodes?: string[]): Promise<{
    overall: OfficialCounts;
    byLevel: Record<string, OfficialCounts>;
    byProvince: Record<string, OfficialCounts>;
  }>;
  /** The obligations of these owners with their official status, oldest deadline first. */
  of(ownerIds: string[]): Promise<ObligationState[]>;
  taskProgress(directiveId: string, unitCodes?: string[]): Promise<TaskProgress[]>;
  /** Whether the owner (a task part) holds an obligation in the cascade. */
  hasTaskPart(directiveId: string, ownerId: string): Promise<boolean>;
}

/**
 * The writes of the cascade's activities, each idempotent: keyed by the workflow's own
 * event sequence, so that a retried activity writes nothing twice.
 */
export interface TransitionRepository {
  recordDelivery(
    input: DeliverInput,
    unit: { level: string; depth: number },
    plan: { isLeaf: boolean; mustConcretize: boolean; ackPlan: LadderPlan },
  ): Promise<void>;
  /** The first write of an admin-retried attempt. */
  recordRedelivery(
    input: DeliverInput & { seq: number },
    plan: { isLeaf: boolean; mustConcretize: boolean; ackPlan: LadderPlan },
  ): Promise<void>;
  recordEvent(input: PersistEventInput, plan: LadderPlan | undefined): Promise<void>;
  /** A retried run's failure cleared before its first event. */
  clearFailure(assignmentId: string, seq: number): Promise<void>;
  recordImplementingDocument(doc: ImplementingDocument): Promise<void>;
  recordReport(input: ReportActivityInput, outcome: { onTime: boolean; rollup: Rollup; plan: LadderPlan | undefined }): Promise<void>;
  recordIncident(input: IncidentInput): Promise<void>;
  /** The number of a document, or null. */
  documentNumber(id: string): Promise<string | null>;
  /** The id of the document the issuer numbered so, or null. */
  documentIdByNumber(issuerCode: string, number: string): Promise<string | null>;
}

/** API tokens, stored as digests. */
export interface TokenRepository {
  /** The live token with this digest and its unit's path, or null. */
  findLive(tokenHash: string, now?: Date): Promise<TokenOwner | null>;
  create(unitCode: string, tokenHash: string, opts?: { label?: string; expiresAt?: Date; roles?: string[] }): Promise<{ id: string; expiresAt: Date }>;
  list(unitCode: string, page: { limit: number; offset: number }): Promise<Page<TokenInfo>>;
  /** False when no token has this id. */
  revoke(id: string): Promise<boolean>;
  /** Revokes every live token of a unit; returns how many. */
  revokeUnit(unitCode: string): Promise<number>;
}

/** The API's audit trail. */
export interface AuditRepository {
  record(event: AuditInput): Promise<void>;
  /** Newest first, optionally those acting for one unit. */
  list(f: { unitCode?: string; limit: number; offset: number }): Promise<Page<AuditRecord>>;
}

/** The morning digests (read-model/digest.ts). */
export interface DigestRepository {
  enqueue(window: DigestWindow): Promise<DigestOutcome>;
}

/** Who is told: contacts, their e-mail deliveries, the units nobody is told about. */
export interface ContactRepository {
  create(unitCode: string, contact: NewContact): Promise<ContactRecord>;
  list(unitCode: string): Promise<ContactRecord[]>;
  update(unitCode: string, id: string, patch: Partial<NewContact>): Promise<ContactRecord | null>;
  delete(unitCode: string, id: string): Promise<boolean>;
  /** Units of the subtree at `rootPath` without a contact told every message. */
  unreachable(rootPath: string, page: { limit: number; offset: number }): Promise<Page<UnreachableUnit>>;
  deliveries(unitCode: string, f: { status?: string; limit: number; offset: number }): Promise<Page<DeliveryRecord>>;
}

/** Calendar feed secrets and what a feed lists. */
export interface CalendarFeedRepository {
  rotate(unitCode: string, secretHash: string): Promise<void>;
  revoke(unitCode: string): Promise<number>;
  isLive(unitCode: string, secretHash: string): Promise<boolean>;
  openDeadlines(unitCode: string): Promise<OpenDeadline[]>;
}

/** Files kept with documents. */
export interface DocumentFileRepository {
  add(f: Omit<DocumentFileRecord, 'createdAt'>): Promise<DocumentFileRecord>;
  of(directiveId: string): Promise<DocumentFileRecord[]>;
  find(directiveId: string, id: string): Promise<DocumentFileRecord | null>;
}

/** People of the units, with their roles. */
export interface PersonRepository {
  /** Null when the e-mail is already someone's. */
  create(p: PersonInput): Promise<PersonRow | null>;
  replace(id: string, p: PersonInput): Promise<PersonRow | 'missing' | 'taken'>;
  find(id: string): Promise<PersonRow | null>;
  byEmail(email: string): Promise<PersonRow | null>;
  ofUnit(unitCode: string): Promise<PersonRow[]>;
}

/** Drafts of implementing documents and reports. */
export interface DraftRepository {
  create(d: { directiveId: string; unitCode: string; kind: DraftKind; content: object; draftedBy: string; drafter: Actor }): Promise<DraftRow>;
  of(directiveId: string, unitCode: string): Promise<DraftRow[]>;
  find(id: string): Promise<DraftRow | null>;
  /** False when the draft was already issued. */
  markIssued(id: string, issued: { by: string; issuer: Actor }, issuedContent: object | null): Promise<boolean>;
}

/** Every repository, over one database. */
export interface Store {
  files: DocumentFileRepository;
  units: UnitRepository;
  contacts: ContactRepository;
  calendarFeeds: CalendarFeedRepository;
  directives: DirectiveRepository;
  assignments: AssignmentRepository;
  obligations: ObligationRepository;
  transitions: TransitionRepository;
  tokens: TokenRepository;
  audit: AuditRepository;
  digests: DigestRepository;
  people: PersonRepository;
  drafts: DraftRepository;
  /** The cheapest round trip to the database: the health probe. */
  ping(): Promise<void>;
}
