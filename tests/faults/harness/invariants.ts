/**
 * What must hold after every fault case, measured rather than asserted here (the case
 * asserts on the figures, and the figures go to RELIABILITY.md):
 * - every unit of the tree has exactly one assignment row, and no row is for another unit;
 * - every assignment workflow agrees with its row (stage, waitingFor, ackVersion,
 *   directiveVersion): queried when open (and when closed, if asked), and by status and
 *   the Stage search attribute when closed;
 * - no timeline event, escalation or notification is duplicated (by meaning, not only by id);
 * - every escalation event has its escalation row and its outbox message, every outbox
 *   message was delivered, and the webhook received each (duplicates only with the same id);
 * - the cascade's root workflow has completed.
 */
import type { WorkflowExecutionStatusName } from '@temporalio/client';
import { stateQuery, type AssignmentView } from '../../../contract/definitions';
import { keys, workflowIds } from '../../../contract/ids';
import * as sa from '../../../contract/search-attributes';
import type { FaultStack } from './stack';
import { sleep } from '../../../stack/wait';
import { pool } from './util';

/** Stages after which a workflow has nothing more to do for its unit. */
const CLOSED_STAGES = new Set(['COMPLETED', 'REVOKED', 'FAILED']);
const COMPARED = ['stage', 'waitingFor', 'ackVersion', 'directiveVersion'] as const;

export interface Divergence {
  unit: string;
  what: string;
  workflow: unknown;
  row: unknown;
}

export interface StateCheck {
  open: number;
  closed: number;
  queried: number;
  divergent: Divergence[];
}

interface Row {
  unitCode: string;
  stage: string;
  waitingFor: string | null;
  ackVersion: number;
  directiveVersion: number;
}

type Status = { name: WorkflowExecutionStatusName; stage: string | undefined; started?: number };

/**
 * Status and Stage search attribute of the latest run of every workflow of the cascade, by
 * workflow id (a retried assignment has an earlier, terminated run under the same id).
 */
async function statuses(stack: FaultStack, directiveId: string): Promise<Map<string, Status>> {
  const out = new Map<string, Status>();
  for await (const wf of stack.client.workflow.list({ query: `DirectiveId = "${directiveId}"` })) {
    const started = wf.startTime.getTime();
    const seen = out.get(wf.workflowId);
    if (seen && (seen.started ?? 0) > started) continue;
    out.set(wf.workflowId, { name: wf.status.name, stage: wf.typedSearchAttributes.get(sa.Stage), started });
  }
  return out;
}

async function compareOne(
  stack: FaultStack,
  directiveId: string,
  row: Row,
  known: Status | undefined,
  queryClosed: boolean,
): Promise<{ divergences: Divergence[]; open: boolean; queried: boolean }> {
  const handle = stack.client.workflow.getHandle(workflowIds.assignment(directiveId, row.unitCode));
  const out: Divergence[] = [];
  let status = known;
  if (!status) {
    const d = await handle.describe().catch(() => null);
    if (!d) return { divergences: [{ unit: row.unitCode, what: 'workflow', workflow: 'not found', row: row.stage }], open: false, queried: false };
    status = { name: d.status.name, stage: d.typedSearchAttributes.get(sa.Stage) };
  }
  const open = status.name === 'RUNNING';
  if (status.name === 'TERMINATED' || status.name === 'FAILED' || status.name === 'TIMED_OUT' || status.name === 'CANCELLED') {
    if (row.stage !== 'FAILED') out.push({ unit: row.unitCode, what: 'status', workflow: status.name, row: row.stage });
    return { divergences: out, open, queried: false };
  }
  if (!open) {
    if (!CLOSED_STAGES.has(row.stage)) out.push({ unit: row.unitCode, what: 'status', workflow: status.name, row: row.stage });
    if (status.stage !== undefined && status.stage !== row.stage) {
      out.push({ unit: row.unitCode, what: 'Stage search attribute', workflow: status.stage, row: row.stage });
    }
  }
  if (!open && !queryClosed) return { divergences: out, open, queried: false };
  let view: AssignmentView;
  try {
    view = await handle.query(stateQuery);
  } catch (err) {
    out.push({ unit: row.unitCode, what: 'query', workflow: err instanceof Error ? err.message : String(err), row: row.stage });
    return { divergences: out, open, queried: true };
  }
  for (const field of COMPARED) {
    if (view[field] !== row[field]) out.push({ unit: row.unitCode, what: field, workflow: view[field], row: row[field] });
  }
  return { divergences: out, open, queried: true };
}

/**
 * Compares every assignment workflow with its row. The read model trails the workflow by
 * one activity, so a divergence is only counted if it is still there after `settleMs`.
 */
export async function compareStates(
  stack: FaultStack,
  directiveId: string,
  opts: { queryClosed?: boolean; settleMs?: number } = {},
): Promise<StateCheck> {
  const deadline = Date.now() + (opts.settleMs ?? 60_000);
  let rows: Row[] = await stack.db.assignment.findMany({
    where: { directiveId },
    select: { unitCode: true, stage: true, waitingFor: true, ackVersion: true, directiveVersion: true },
  });
  let result: StateCheck = { open: 0, closed: 0, queried: 0, divergent: [] };
  let first = true;
  for (;;) {
    const known = await statuses(stack, directiveId);
    const checks = await pool(rows, 8, (row) =>
      compareOne(stack, directiveId, row, known.get(workflowIds.assignment(directiveId, row.unitCode)), opts.queryClosed ?? false),
    );
    if (first) {
      result = {
        open: checks.filter((c) => c.open).length,
        closed: checks.filter((c) => !c.open).length,
        queried: checks.filter((c) => c.queried).length,
        divergent: [],
      };
      first = false;
    }
    result.divergent = checks.flatMap((c) => c.divergences);
    if (result.divergent.length === 0 || Date.now() > deadline) return result;
    await sleep(3000);
    const again = new Set(result.divergent.map((d) => d.unit));
    rows = await stack.db.assignment.findMany({
      where: { directiveId, unitCode: { in: [...again] } },
      select: { unitCode: true, stage: true, waitingFor: true, ackVersion: true, directiveVersion: true },
    });
  }
}

export interface RowCheck {
  expected: number;
  rows: number;
  missing: string[];
  unexpected: string[];
  duplicated: string[];
}

/** Exactly one assignment row per unit of the tree. */
export async function checkRows(stack: FaultStack, directiveId: string, expectedUnits: string[]): Promise<RowCheck> {
  const rows = await stack.db.assignment.findMany({ where: { directiveId }, select: { unitCode: true, id: true } });
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.unitCode, (count.get(r.unitCode) ?? 0) + 1);
  const expected = new Set(expectedUnits);
  return {
    expected: expectedUnits.length,
    rows: rows.length,
    missing: expectedUnits.filter((u) => !count.has(u)),
    unexpected: [...count.keys()].filter((u) => !expected.has(u)),
    duplicated: [...count.entries()].filter(([, n]) => n > 1).map(([u]) => u),
  };
}

interface EventRow {
  id: string;
  assignmentId: string;
  type: string;
  at: Date;
  data: unknown;
}

/** What makes two events "the same event", whatever their ids. */
function meaning(e: EventRow): string {
  const d = (e.data ?? {}) as Record<string, unknown>;
  switch (e.type) {
    case 'ACKNOWLEDGED':
    case 'AMENDED':
      return `${e.type}@${String(d.version)}`;
    case 'OVERDUE':
      return `${e.type}:${String(d.obligation)}:${String(d.deadline)}`;
    case 'DEADLINE_SET':
      return `${e.type}:${String(d.obligation)}`;
    case 'ESCALATED':
      // The event does not name its episode's deadline: a restarted ladder (approved
      // extension) would repeat rungs legitimately. No case here approves extensions.
      return `${e.type}:${String(d.obligation)}:${String(d.rung)}`;
    case 'EXTENSION_REQUESTED':
    case 'EXTENSION_DECIDED':
      return `${e.type}:${String(d.requestId)}`;
    case 'REPORTED':
      return `${e.type}#${String(d.cycle)}`;
    default:
      return e.type; // DELIVERED, CONCRETIZED, FORWARDED, COMPLETED, REVOKED, FAILED, ...
  }
}

export interface EventCheck {
  events: number;
  byType: Record<string, number>;
  /** With the assignment's whole timeline (type#seq), to see where the repeat came from. */
  duplicated: Array<{ assignmentId: string; meaning: string; ids: string[]; timeline: string[] }>;
}

/**
 * Timeline events duplicated by meaning within one life of an assignment (a FAILED event
 * starts a new life: after an admin's retry the unit may legitimately be delivered again).
 */
export async function checkEvents(stack: FaultStack, directiveId: string): Promise<EventCheck> {
  const events: EventRow[] = await stack.db.timelineEvent.findMany({
    where: { directiveId },
    select: { id: true, assignmentId: true, type: true, at: true, data: true },
  });
  const byType: Record<string, number> = {};
  const seqOf = (id: string) => Number(id.slice(id.lastIndexOf('#') + 1));
  const byAssignment = new Map<string, EventRow[]>();
  for (const e of events) {
    byType[e.type] = (byType[e.type] ?? 0) + 1;
    const list = byAssignment.get(e.assignmentId) ?? [];
    list.push(e);
    byAssignment.set(e.assignmentId, list);
  }
  const duplicated: EventCheck['duplicated'] = [];
  for (const [assignmentId, list] of byAssignment) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime() || seqOf(a.id) - seqOf(b.id));
    let life = 0;
    const seen = new Map<string, string[]>();
    for (const e of list) {
      const key = `${life}:${meaning(e)}`;
      seen.set(key, [...(seen.get(key) ?? []), e.id]);
      if (e.type === 'FAILED') life++;
    }
    for (const [key, ids] of seen) {
      if (ids.length > 1) {
        duplicated.push({ assignmentId, meaning: key, ids, timeline: list.map((e) => (e.id.includes('#') ? `${e.type}#${e.id.slice(e.id.lastIndexOf('#') + 1)}` : e.type)) });
      }
    }
  }
  return { events: events.length, byType, duplicated };
}

export interface NotificationCheck {
  escalationEvents: number;
  escalations: number;
  /** (assignment, obligation, rung) with fewer escalation rows than ESCALATED events, and the reverse. */
  escalationsMissing: string[];
  escalationsOrphaned: string[];
  outbox: number;
  /** Events that notify (ESCALATED, REMINDED, FAILED) whose message never reached the outbox. */
  outboxMissing: string[];
  undelivered: string[];
  receivedTotal: number;
  receivedDistinct: number;
  /** Outbox messages never answered 2xx by the webhook. */
  neverReceived: string[];
  /** Ids received that are not in the outbox. */
  unknownReceived: string[];
  /** Receipts beyond the first per id (allowed: same id). */
  redelivered: number;
}

/** Events that queue exactly one notification, as message `<event id>/0`. */
const NOTIFYING = ['ESCALATED', 'REMINDED', 'FAILED'];

export async function checkNotifications(stack: FaultStack, directiveId: string, expectDelivery: boolean): Promise<NotificationCheck> {
  const [notifying, escalations, outbox] = await Promise.all([
    stack.db.timelineEvent.findMany({
      where: { directiveId, type: { in: NOTIFYING } },
      select: { id: true, type: true, assignmentId: true, data: true },
    }),
    stack.db.escalation.findMany({ where: { directiveId }, select: { assignmentId: true, obligation: true, rung: true } }),
    stack.db.outboxMessage.findMany({ where: { directiveId }, select: { id: true, status: true } }),
  ]);
  // Escalation ids carry the overdue episode's deadline, which the event does not: match by
  // (assignment, obligation, rung) with multiplicity instead.
  const tally = new Map<string, number>();
  const bump = (k: string, by: number) => tally.set(k, (tally.get(k) ?? 0) + by);
  const escalated = notifying.filter((e) => e.type === 'ESCALATED');
  for (const e of escalated) {
    const d = (e.data ?? {}) as { obligation?: string; rung?: number };
    bump(`${e.assignmentId}|${String(d.obligation)}|${String(d.rung)}`, 1);
  }
  for (const r of escalations) bump(`${r.assignmentId}|${r.obligation}|${r.rung}`, -1);
  const outboxIds = new Set(outbox.map((o) => o.id));
  const prefix = `${directiveId}/`;
  const accepted = stack.webhook.accepted().filter((r) => r.id.startsWith(prefix));
  const received = new Set(accepted.map((r) => r.id));
  return {
    escalationEvents: escalated.length,
    escalations: escalations.length,
    escalationsMissing: [...tally].filter(([, n]) => n > 0).map(([k]) => k),
    escalationsOrphaned: [...tally].filter(([, n]) => n < 0).map(([k]) => k),
    outbox: outbox.length,
    outboxMissing: notifying.map((e) => keys.outboxMessage(e.id, 0)).filter((id) => !outboxIds.has(id)),
    undelivered: outbox.filter((o) => o.status !== 'DELIVERED').map((o) => o.id),
    receivedTotal: accepted.length,
    receivedDistinct: received.size,
    neverReceived: expectDelivery ? [...outboxIds].filter((id) => !received.has(id)) : [],
    unknownReceived: [...received].filter((id) => !outboxIds.has(id)),
    redelivered: accepted.length - received.size,
  };
}

/** The root workflow's status (COMPLETED once the cascade has closed). */
export async function rootStatus(stack: FaultStack, directiveId: string): Promise<WorkflowExecutionStatusName | 'NOT_FOUND'> {
  const d = await stack.client.workflow.getHandle(workflowIds.directive(directiveId)).describe().catch(() => null);
  return d?.status.name ?? 'NOT_FOUND';
}
