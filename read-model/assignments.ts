/**
 * Assignments, timeline, escalations, extensions and reports from the read model. Every
 * list is one indexed query; progress is one aggregate with GROUPING SETS.
 */
import { storedActor, type Actor } from '../contract/actor';
import type { Db } from './db';
import { Prisma } from './generated/prisma';
import { OPEN_STAGES, Stage, type AssignmentView, type ExtensionView } from '../contract/definitions';
import { keys } from '../contract/ids';
import type { Page } from './page';
import { deliveriesOfEvents, type DeliveryRecord } from './mail-deliveries';
import { inUnits } from './unit-scope';

/** An assignment as the read model holds it: one unit's copy of a cascade. */
export interface AssignmentRow {
  id: string;
  directiveId: string;
  unitCode: string;
  level: string;
  depth: number;
  parentAssignmentId: string | null;
  parentUnitCode: string | null;
  receivedDirectiveId: string;
  implementingDirectiveId: string | null;
  stage: string;
  mustConcretize: boolean;
  isLeaf: boolean;
  ackVersion: number;
  directiveVersion: number;
  nextDeadline: Date | null;
  nextReminderAt: Date | null;
  waitingFor: string | null;
  overdue: boolean;
  escalationRung: number;
  reportCycle: number;
  deliveredAt: Date;
  acknowledgedAt: Date | null;
  concretizedAt: Date | null;
  forwardedAt: Date | null;
  reportedAt: Date | null;
  completedAt: Date | null;
  revokedAt: Date | null;
  failedAt: Date | null;
  failureReason: string | null;
  attempt: number;
  updatedAt: Date;
}

/** One event of an assignment's timeline. */
export interface TimelineEntry {
  type: string;
  /** When it happened (for a notifying event: when it fired). */
  at: Date;
  data: unknown;
  /** Who took the action the event records (from its data); null for events nobody took, or recorded before actors existed. */
  by: Actor | null;
  /** For an event that notified people: each e-mail delivery, with when it was (or will be) sent. */
  deliveries?: TimelineDelivery[];
}

/** One recipient's e-mail of a notifying timeline event. */
export type TimelineDelivery = Pick<DeliveryRecord, 'unitCode' | 'email' | 'status' | 'notBefore' | 'sentAt' | 'attempts' | 'lastError'>;

/** An extension request as recorded. */
export interface ExtensionRequestRecord {
  id: string;
  directiveId: string;
  assignmentId: string;
  unitCode: string;
  obligation: string;
  currentDeadline: Date;
  requestedDeadline: Date;
  reason: string;
  status: string;
  decidedBy: string | null;
  decisionNote: string | null;
  requestedAt: Date;
  decidedAt: Date | null;
  /** Who asked, and who decided; null when not known. */
  requestedBy: Actor | null;
  decisionBy: Actor | null;
}

/** An escalation rung fired, and how it was resolved. */
export interface EscalationRecord {
  id: string;
  directiveId: string;
  assignmentId: string;
  unitCode: string;
  obligation: string;
  rung: number;
  action: string;
  targetUnitCode: string | null;
  deadline: Date;
  firedAt: Date;
  resolvedAt: Date | null;
  resolution: string | null;
}

/** A unit's report for one cycle, with its children's rollup. */
export interface ReportRecord {
  id: string;
  directiveId: string;
  assignmentId: string;
  unitCode: string;
  cycle: number;
  summary: string;
  completion: number;
  metrics: unknown;
  rollup: unknown;
  dueAt: Date | null;
  submittedAt: Date;
  onTime: boolean;
  /** Who reported; null when not known. */
  by: Actor | null;
}

/** What a repeated report is compared on. */
export type ReportContent = Pick<ReportRecord, 'cycle' | 'summary' | 'completion' | 'metrics'>;

/** Everything recorded about one assignment besides its row, oldest first. */
export interface AssignmentHistory {
  timeline: TimelineEntry[];
  extensionRequests: Array<Omit<ExtensionRequestRecord, 'directiveId' | 'assignmentId' | 'unitCode'>>;
  escalations: Array<Omit<EscalationRecord, 'directiveId' | 'assignmentId'>>;
  reports: Array<Omit<ReportRecord, 'directiveId' | 'assignmentId'>>;
}

/** An open assignment in a unit's inbox, with its directive's number and title. */
export interface InboxItem extends AssignmentRow {
  directive: { id: string; number: string; title: string; issuerCode: string; status: string } | null;
}

const assignmentSelect = {
  id: true,
  directiveId: true,
  unitCode: true,
  level: true,
  depth: true,
  parentAssignmentId: true,
  parentUnitCode: true,
  receivedDirectiveId: true,
  implementingDirectiveId: true,
  stage: true,
  mustConcretize: true,
  isLeaf: true,
  ackVersion: true,
  directiveVersion: true,
  nextDeadline: true,
  nextReminderAt: true,
  waitingFor: true,
  overdue: true,
  escalationRung: true,
  reportCycle: true,
  deliveredAt: true,
  acknowledgedAt: true,
  concretizedAt: true,
  forwardedAt: true,
  reportedAt: true,
  completedAt: true,
  revokedAt: true,
  failedAt: true,
  failureReason: true,
  attempt: true,
  updatedAt: true,
} as const satisfies Prisma.AssignmentSelect & Record<keyof AssignmentRow, true>;

/** The selected columns, quoted, for raw statements that return an AssignmentRow. */
const assignmentColumns = Prisma.raw(Object.keys(assignmentSelect).map((c) => `"${c}"`).join(', '));

export async function findAssignment(db: Db, directiveId: string, unitCode: string): Promise<AssignmentRow | null> {
  // Every unit action reads it first: one raw statement, no query compilation.
  const [row] = await db.$queryRaw<AssignmentRow[]>`
    SELECT ${assignmentColumns} FROM "Assignment" WHERE id = ${keys.assignment(directiveId, unitCode)}`;
  return row ?? null;
}

export async function hasAssignment(db: Db, directiveId: string, unitCode: string): Promise<boolean> {
  return (await db.assignment.count({ where: { id: keys.assignment(directiveId, unitCode) } })) > 0;
}

export interface Progress {
  total: number;
  open: number;
  overdue: number;
  /** Incidents: assignments the engine could not carry on (stage FAILED), awaiting an admin retry. */
  failed: number;
  byStage: Record<string, number>;
  byLevel: Record<string, { total: number; overdue: number; byStage: Record<string, number> }>;
  openEscalations: number;
}

interface ProgressRow {
  stage: string | null;
  level: string | null;
  g_stage: number;
  g_level: number;
  n: number;
  overdue: number;
}

/** Totals by stage, by level (and stage within level), overdue count: one aggregate query. */
export async function progress(db: Db, directiveId: string, unitCodes?: string[]): Promise<Progress> {
  const [rows, escalations] = await Promise.all([
    db.$queryRaw<ProgressRow[]>`
      SELECT stage, level, GROUPING(stage)::int AS g_stage, GROUPING(level)::int AS g_level,
             count(*)::int AS n, (count(*) FILTER (WHERE overdue))::int AS overdue
        FROM "Assignment"
       WHERE "directiveId" = ${directiveId} AND ${inUnits(unitCodes)}
       GROUP BY GROUPING SETS ((stage), (level), (level, stage), ())`,
    db.escalation.count({ where: { directiveId, resolvedAt: null, ...(unitCodes ? { unitCode: { in: unitCodes } } : {}) } }),
  ]);
  const out: Progress = { total: 0, open: 0, overdue: 0, failed: 0, byStage: {}, byLevel: {}, openEscalations: escalations };
  const level = (name: string) => (out.byLevel[name] ??= { total: 0, overdue: 0, byStage: {} });
  for (const r of rows) {
    if (r.g_stage && r.g_level) {
      out.total = r.n;
      out.overdue = r.overdue;
    } else if (r.g_level) {
      out.byStage[r.stage!] = r.n;
      if ((OPEN_STAGES as readonly string[]).includes(r.stage!)) out.open += r.n;
      if (r.stage === Stage.FAILED) out.failed += r.n;
    } else if (r.g_stage) {
      Object.assign(level(r.level!), { total: r.n, overdue: r.overdue });
    } else {
      level(r.level!).byStage[r.stage!] = r.n;
    }
  }
  return out;
}

export interface AssignmentFilter {
  stage?: string;
  level?: string;
  overdue?: boolean;
  parent?: string;
  limit: number;
  offset: number;
  /** Restrict to these unit codes (a unit token's subtree). */
  unitCodes?: string[];
}

export async function listAssignments(db: Db, directiveId: string, f: AssignmentFilter): Promise<Page<AssignmentRow>> {
  const where: Prisma.AssignmentWhereInput = {
    directiveId,
    ...(f.stage ? { stage: f.stage } : {}),
    ...(f.level ? { level: f.level } : {}),
    ...(f.overdue !== undefined ? { overdue: f.overdue } : {}),
    ...(f.parent ? { parentUnitCode: f.parent } : {}),
    ...(f.unitCodes ? { unitCode: { in: f.unitCodes } } : {}),
  };
  const [total, items] = await Promise.all([
    db.assignment.count({ where }),
    db.assignment.findMany({
      where,
      select: assignmentSelect,
      orderBy: [{ depth: 'asc' }, { unitCode: 'asc' }],
      take: f.limit,
      skip: f.offset,
    }),
  ]);
  return { total, limit: f.limit, offset: f.offset, items };
}

/** An assignment's timeline, each notifying event with its e-mail deliveries. */
async function timelineWithDeliveries(db: Db, assignmentId: string): Promise<TimelineEntry[]> {
  const events = await db.timelineEvent.findMany({
    where: { assignmentId },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
    select: { id: true, type: true, at: true, data: true },
  });
  const deliveries = await deliveriesOfEvents(db, events.map((e) => e.id));
  return events.map(({ id, ...stored }) => {
    // The actor is shown beside the event, not inside its data.
    const { by, ...data } = (stored.data ?? {}) as Record<string, unknown>;
    const e = { ...stored, data: stored.data === null ? null : data, by: storedActor(by) };
    const mine = deliveries.get(id);
    if (!mine) return e;
    return {
      ...e,
      deliveries: mine.map((d) => ({
        unitCode: d.unitCode,
        email: d.email,
        status: d.status,
        notBefore: d.notBefore,
        sentAt: d.sentAt,
        attempts: d.attempts,
        lastError: d.lastError,
      })),
    };
  });
}

/** Timeline, extension requests, escalations and reports of one assignment. */
export async function assignmentHistory(db: Db, id: string): Promise<AssignmentHistory> {
  const [timeline, extensionRequests, escalations, reports] = await Promise.all([
    timelineWithDeliveries(db, id),
    db.extensionRequest.findMany({
      where: { assignmentId: id },
      orderBy: { requestedAt: 'asc' },
      omit: { directiveId: true, assignmentId: true, unitCode: true },
    }),
    db.escalation.findMany({
      where: { assignmentId: id },
      orderBy: { firedAt: 'asc' },
      omit: { directiveId: true, assignmentId: true },
    }),
    db.report.findMany({
      where: { assignmentId: id },
      orderBy: { cycle: 'asc' },
      omit: { directiveId: true, assignmentId: true },
    }),
  ]);
  return {
    timeline,
    extensionRequests: extensionRequests.map((x) => ({ ...x, requestedBy: storedActor(x.requestedBy), decisionBy: storedActor(x.decisionBy) })),
    escalations,
    reports: reports.map((r) => ({ ...r, by: storedActor(r.by) })),
  };
}

export async function findExtensionRequest(db: Db, assignment: string, requestId: string): Promise<ExtensionRequestRecord | null> {
  const x = await db.extensionRequest.findUnique({ where: { id: keys.extensionRequest(assignment, requestId) } });
  return x ? { ...x, requestedBy: storedActor(x.requestedBy), decisionBy: storedActor(x.decisionBy) } : null;
}

/** The recorded acknowledgement of one directive version, or null while it is not (yet) in the read model. */
export async function acknowledgementOf(db: Db, id: string, version: number): Promise<Record<string, unknown> | null> {
  const row = await db.timelineEvent.findFirst({
    where: { assignmentId: id, type: 'ACKNOWLEDGED', data: { path: ['version'], equals: version } },
    orderBy: { at: 'desc' },
    select: { data: true },
  });
  return (row?.data as Record<string, unknown> | null) ?? null;
}

export async function reportsOf(db: Db, id: string): Promise<ReportContent[]> {
  return db.report.findMany({
    where: { assignmentId: id },
    orderBy: { cycle: 'asc' },
    select: { cycle: true, summary: true, completion: true, metrics: true },
  });
}

async function openChildrenCount(db: Db, id: string): Promise<number> {
  return db.assignment.count({ where: { parentAssignmentId: id, stage: { in: [...OPEN_STAGES] } } });
}

/**
 * The assignment as its workflow's `stateQuery` shows it, rebuilt from the read model: for
 * a workflow that has closed (or does not answer). The fields the workflow derives from
 * its ladder (waitingFor, deadline, overdue, rung) are the ones it last persisted.
 */
export async function assignmentViewFromReadModel(db: Db, row: AssignmentRow): Promise<AssignmentView> {
  const [history, openChildren] = await Promise.all([assignmentHistory(db, row.id), openChildrenCount(db, row.id)]);
  const extensions: ExtensionView[] = history.extensionRequests.map((x) => ({
    // The row id is keys.extensionRequest(assignmentId, requestId).
    requestId: x.id.slice(row.id.length + 1),
    obligation: x.obligation,
    currentDeadline: x.currentDeadline.toISOString(),
    requestedDeadline: x.requestedDeadline.toISOString(),
    reason: x.reason,
    status: x.status as ExtensionView['status'],
    ...(x.decisionNote !== null ? { note: x.decisionNote } : {}),
  }));
  return {
    assignmentId: row.id,
    directiveId: row.directiveId,
    unitCode: row.unitCode,
    stage: row.stage as Stage,
    waitingFor: row.waitingFor,
    deadline: row.nextDeadline?.toISOString() ?? null,
    nextReminderAt: row.nextReminderAt?.toISOString() ?? null,
    overdue: row.overdue,
    escalationRung: row.escalationRung,
    directiveVersion: row.directiveVersion,
    ackVersion: row.ackVersion,
    reportsSubmitted: history.reports.map((r) => r.cycle),
    implementingDirectiveId: row.implementingDirectiveId,
    extensions,
    openChildren,
  };
}

export interface EscalationFilter {
  status?: 'open' | 'resolved';
  limit: number;
  offset: number;
  /** Restrict to these unit codes (a unit token's subtree). */
  unitCodes?: string[];
}

export async function listEscalations(
  db: Db,
  directiveId: string,
  f: EscalationFilter,
): Promise<Page<EscalationRecord>> {
  const where: Prisma.EscalationWhereInput = {
    directiveId,
    ...(f.status === 'open' ? { resolvedAt: null } : f.status === 'resolved' ? { resolvedAt: { not: null } } : {}),
    ...(f.unitCodes ? { unitCode: { in: f.unitCodes } } : {}),
  };
  const [total, items] = await Promise.all([
    db.escalation.count({ where }),
    db.escalation.findMany({ where, orderBy: [{ firedAt: 'asc' }, { id: 'asc' }], take: f.limit, skip: f.offset }),
  ]);
  return { total, limit: f.limit, offset: f.offset, items };
}

/** A unit's open assignments across directives, with each directive's number and title. */
export async function inbox(db: Db, unitCode: string, page: { limit: number; offset: number }): Promise<Page<InboxItem>> {
  const where: Prisma.AssignmentWhereInput = { unitCode, stage: { in: [...OPEN_STAGES] } };
  const [total, rows] = await Promise.all([
    db.assignment.count({ where }),
    db.assignment.findMany({
      where,
      select: assignmentSelect,
      orderBy: [{ nextDeadline: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
      take: page.limit,
      skip: page.offset,
    }),
  ]);
  const directives = await db.directive.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.directiveId))] } },
    select: { id: true, number: true, title: true, issuerCode: true, status: true },
  });
  const byId = new Map(directives.map((d) => [d.id, d]));
  return {
    total,
    limit: page.limit,
    offset: page.offset,
    items: rows.map((r) => ({ ...r, directive: byId.get(r.directiveId) ?? null })),
  };
}

/** Unit codes in a subtree (by materialized path prefix, wildcards escaped). */
export { subtreeCodes } from './subtree';

export async function unitPath(db: Db, code: string): Promise<string | null> {
  const row = await db.unit.findUnique({ where: { code }, select: { path: true } });
  return row?.path ?? null;
}
