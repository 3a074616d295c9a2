/**
 * One call a case makes after its faults: runs every invariant check, writes the figures
 * into the case's recorder, and returns the problems found (empty when all holds).
 */
import type { CaseRecorder } from './results';
import type { FaultStack } from './stack';
import type { UnitActions } from './cascade';
import { countTimeouts } from './timeouts';
import { checkEvents, checkNotifications, checkRows, compareStates, rootStatus } from './invariants';

export interface VerifyOptions {
  /** The units the cascade must have reached. */
  units: string[];
  /** Prefix for the figures ("open" before the cascade closes, "final" after). */
  phase: string;
  /** Query closed workflows too (each is a replay on the worker). */
  queryClosed?: boolean;
  /** Whether every notification must have reached the webhook by now. */
  expectDelivery: boolean;
  /** Whether the cascade's root workflow must have completed. */
  expectClosed: boolean;
  settleMs?: number;
}

const sample = (xs: unknown[], n = 5) => JSON.stringify(xs.slice(0, n));

export async function verifyCascade(stack: FaultStack, directiveId: string, rec: CaseRecorder, opts: VerifyOptions): Promise<string[]> {
  const problems: string[] = [];
  const f = (name: string, value: number) => (rec.figures[`${opts.phase}.${name}`] = value);
  const started = Date.now();

  const rows = await checkRows(stack, directiveId, opts.units);
  f('assignments', rows.rows);
  f('assignmentsMissing', rows.missing.length);
  f('assignmentsDuplicated', rows.duplicated.length);
  f('assignmentsUnexpected', rows.unexpected.length);
  if (rows.missing.length) problems.push(`${rows.missing.length} units have no assignment: ${sample(rows.missing)}`);
  if (rows.duplicated.length) problems.push(`${rows.duplicated.length} units have several assignments: ${sample(rows.duplicated)}`);
  if (rows.unexpected.length) problems.push(`assignments for units outside the tree: ${sample(rows.unexpected)}`);

  const states = await compareStates(stack, directiveId, { queryClosed: opts.queryClosed ?? false, settleMs: opts.settleMs ?? 60_000 });
  f('workflowsOpen', states.open);
  f('workflowsClosed', states.closed);
  f('workflowsQueried', states.queried);
  f('divergent', new Set(states.divergent.map((d) => d.unit)).size);
  if (states.divergent.length) problems.push(`${states.divergent.length} workflow/row divergences: ${sample(states.divergent)}`);

  const events = await checkEvents(stack, directiveId);
  f('timelineEvents', events.events);
  f('timelineDuplicated', events.duplicated.length);
  for (const [type, n] of Object.entries(events.byType)) f(`events.${type}`, n);
  if (events.duplicated.length) problems.push(`${events.duplicated.length} duplicated timeline events: ${sample(events.duplicated)}`);

  const n = await checkNotifications(stack, directiveId, opts.expectDelivery);
  f('escalations', n.escalations);
  f('escalationsLost', n.escalationsMissing.length);
  f('escalationsOrphaned', n.escalationsOrphaned.length);
  f('outbox', n.outbox);
  f('outboxLost', n.outboxMissing.length);
  f('outboxUndelivered', n.undelivered.length);
  f('webhookReceived', n.receivedTotal);
  f('webhookDistinct', n.receivedDistinct);
  f('webhookRedelivered', n.redelivered);
  f('webhookNeverReceived', n.neverReceived.length);
  f('webhookUnknown', n.unknownReceived.length);
  if (n.escalationsMissing.length) problems.push(`escalation events without their escalation row: ${sample(n.escalationsMissing)}`);
  if (n.escalationsOrphaned.length) problems.push(`escalation rows without events: ${sample(n.escalationsOrphaned)}`);
  if (n.outboxMissing.length) problems.push(`notifying events without their outbox message: ${sample(n.outboxMissing)}`);
  if (opts.expectDelivery && n.undelivered.length) problems.push(`${n.undelivered.length} outbox messages not delivered: ${sample(n.undelivered)}`);
  if (n.neverReceived.length) problems.push(`${n.neverReceived.length} outbox messages the webhook never accepted: ${sample(n.neverReceived)}`);
  if (n.unknownReceived.length) problems.push(`webhook received ids not in the outbox: ${sample(n.unknownReceived)}`);

  if (opts.phase === 'final') {
    const t = await countTimeouts(stack, directiveId);
    f('workflowTaskTimeouts', t.workflowTaskTimeouts);
    f('activityRetries', t.activityRetries);
    f('activityTimeouts', t.activityTimeouts);
  }

  const root = await rootStatus(stack, directiveId);
  f('rootClosed', root === 'COMPLETED' ? 1 : 0);
  if (opts.expectClosed && root !== 'COMPLETED') problems.push(`the cascade's root workflow is ${root}, not COMPLETED`);
  rec.durationsMs[`${opts.phase}.verify`] = Date.now() - started;
  for (const p of problems) rec.note(`${opts.phase}: ${p}`);
  return problems;
}

/** Actions answered 2xx whose effect is not in the read model: `done(row)` says what it should show. */
export async function lostActions(
  stack: FaultStack,
  directiveId: string,
  actions: UnitActions,
  done: (row: { stage: string; ackVersion: number }) => boolean,
): Promise<string[]> {
  const accepted = [...actions.outcomes.entries()].filter(([, o]) => o.status >= 200 && o.status < 300).map(([u]) => u);
  const rows = await stack.db.assignment.findMany({
    where: { directiveId, unitCode: { in: accepted } },
    select: { unitCode: true, stage: true, ackVersion: true },
  });
  const byUnit = new Map(rows.map((r) => [r.unitCode, r]));
  return accepted.filter((u) => {
    const row = byUnit.get(u);
    return !row || !done(row);
  });
}
