/**
 * The business metrics on the API's /metrics, counted from the read model: each gauge counts
 * exactly the open rows it names, labelled by bounded values only; one count serves the
 * scrapes within BUSINESS_METRICS_CACHE_MS; and each query can be answered from its partial
 * index (the query repeats the index's predicate), so a scrape reads open rows only.
 *
 * The database is shared with the other test files: the rows here carry a level and a
 * notification kind of their own, so their series are this file's alone, and are removed after.
 */
import request from 'supertest';
import { createApp } from '../api/app';
import { loadConfig } from '../runtime/config';
import { setLogLevel } from '../runtime/log';
import type { Db } from '../read-model/db';
import { readBusinessCounts } from '../read-model/business-metrics';
import { testDb, testTemporal, uniqueSuffix } from './harness/stack';
import type { Connection, Client } from '@temporalio/client';

const suffix = uniqueSuffix();
const level = `metrics-level-${suffix}`;
const kind = `metrics-kind-${suffix}`;
const rootId = `metrics-root-${suffix}`;
const revokedRootId = `metrics-revoked-${suffix}`;
const hour = 3600_000;
let db: Db;
let connection: Connection;
let client: Client;

/** One series' value in a scrape, or undefined when the series is absent. */
function valueOf(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_:]+)(\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[4]);
  }
  return undefined;
}

function appWith(cacheMs: number) {
  const config = loadConfig({ CASCADE_ADMIN_TOKEN: 'x'.repeat(32), BUSINESS_METRICS_CACHE_MS: String(cacheMs) });
  return createApp({ db, client, config });
}

const scrape = async (app: ReturnType<typeof appWith>) => (await request(app).get('/metrics').expect(200)).text;

function assignment(id: string, directiveId: string, stage: string) {
  return { id, directiveId, unitCode: `U-${id}`, level, depth: 1, receivedDirectiveId: directiveId, stage, mustConcretize: false, isLeaf: true, deliveredAt: new Date() };
}

beforeAll(async () => {
  setLogLevel('warn');
  db = testDb();
  ({ connection, client } = await testTemporal());
  const base = { kind: 'Công văn', title: 'metrics', issuerCode: `ISSUER-${suffix}`, issuedAt: new Date(), recipients: [] as string[] };
  await db.directive.createMany({
    data: [
      { ...base, id: rootId, number: `1/${suffix}`, rootId, status: 'ACTIVE' },
      { ...base, id: revokedRootId, number: `2/${suffix}`, rootId: revokedRootId, status: 'REVOKED' },
    ],
  });
  await db.assignment.createMany({
    data: [
      assignment(`${suffix}-a1`, rootId, 'DELIVERED'),
      assignment(`${suffix}-a2`, rootId, 'DELIVERED'),
      assignment(`${suffix}-a3`, rootId, 'ACKNOWLEDGED'),
      assignment(`${suffix}-a4`, rootId, 'FAILED'),
      assignment(`${suffix}-a5`, rootId, 'COMPLETED'),
      assignment(`${suffix}-r1`, revokedRootId, 'REVOKED'),
    ],
  });
  const obligation = (key: string, deadline: Date, done?: Date, cancelled?: Date) => ({
    id: `${suffix}-a1/${key}`, directiveId: rootId, ownerId: `${suffix}-a1`, unitCode: 'U', level, kind: key.split('#')[0]!, key, deadline, doneAt: done ?? null, cancelledAt: cancelled ?? null,
  });
  const now = Date.now();
  await db.obligation.createMany({
    data: [
      obligation('ack#1', new Date(now - hour)), // overdue
      obligation('ack#2', new Date(now - 2 * hour)), // overdue
      obligation('report#1', new Date(now - hour)), // overdue
      obligation('report#2', new Date(now + hour)), // open, not due yet
      obligation('report#3', new Date(now - hour), new Date()), // done
      obligation('report#4', new Date(now - hour), undefined, new Date()), // cancelled
    ],
  });
  const escalation = (rung: number, resolved: boolean) => ({
    id: `${suffix}-e${rung}-${resolved}`, directiveId: rootId, assignmentId: `${suffix}-a1`, unitCode: 'U', obligation: 'ack', rung: 90 + rung, action: 'remind', deadline: new Date(now - hour), firedAt: new Date(), resolvedAt: resolved ? new Date() : null,
  });
  await db.escalation.createMany({ data: [escalation(1, false), escalation(2, false), escalation(3, true)] });
  await db.outboxMessage.createMany({
    data: [
      { id: `${suffix}-m1`, directiveId: rootId, kind, payload: {}, createdAt: new Date(now - 2 * hour), lastError: 'HTTP 500' },
      { id: `${suffix}-m2`, directiveId: rootId, kind, payload: {}, createdAt: new Date(now - 60_000) },
      { id: `${suffix}-m3`, directiveId: rootId, kind, payload: {}, status: 'DELIVERED', createdAt: new Date(now - 3 * hour) },
    ],
  });
});

afterAll(async () => {
  const directiveId = { in: [rootId, revokedRootId] };
  await db.outboxMessage.deleteMany({ where: { directiveId } });
  await db.escalation.deleteMany({ where: { directiveId } });
  await db.obligation.deleteMany({ where: { directiveId } });
  await db.assignment.deleteMany({ where: { directiveId } });
  await db.directive.deleteMany({ where: { id: directiveId } });
  await db.$disconnect();
  await connection.close();
});

describe('business metrics on /metrics', () => {
  test('when the read model holds open, finished and failed rows then each gauge counts exactly the open ones, by bounded labels', async () => {
    const text = await scrape(appWith(0));
    expect(valueOf(text, 'cascade_assignments_open', { stage: 'DELIVERED', level })).toBe(2);
    expect(valueOf(text, 'cascade_assignments_open', { stage: 'ACKNOWLEDGED', level })).toBe(1);
    // Finished stages are not open; FAILED is counted as an incident, not as open.
    for (const stage of ['COMPLETED', 'REVOKED', 'FAILED']) expect(valueOf(text, 'cascade_assignments_open', { stage, level })).toBeUndefined();
    expect(valueOf(text, 'cascade_incidents_open', { level })).toBe(1);
    expect(valueOf(text, 'cascade_obligations_overdue', { kind: 'ack', level })).toBe(2);
    expect(valueOf(text, 'cascade_obligations_overdue', { kind: 'report', level })).toBe(1);
    expect(valueOf(text, 'cascade_escalations_open', { rung: '91' })).toBe(1);
    expect(valueOf(text, 'cascade_escalations_open', { rung: '92' })).toBe(1);
    expect(valueOf(text, 'cascade_escalations_open', { rung: '93' })).toBeUndefined();
    expect(valueOf(text, 'cascade_outbox_messages_pending', { kind })).toBe(2);
    expect(valueOf(text, 'cascade_outbox_messages_failing')).toBeGreaterThanOrEqual(1);
    // The oldest pending message here was queued two hours ago (older ones may exist).
    expect(valueOf(text, 'cascade_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(7200);
    // No series names a unit or a directive.
    expect(text).not.toContain(rootId);
    expect(text).not.toMatch(/U-[^"]*-a1/);
  });

  test('when e-mails are due in office hours and unsent, or refused, then the e-mail gauges count them and the oldest wait', async () => {
    const before = await readBusinessCounts(db);
    const at = (ms: number) => new Date(Date.now() + ms);
    const row = (id: string, status: string, notBefore: Date) => ({
      id: `${suffix}-${id}`, messageId: `${suffix}-m`, contactId: `${suffix}-${id}`, directiveId: rootId, kind, status,
      firedAt: at(-3 * hour), notBefore, nextAttemptAt: notBefore, createdAt: at(-3 * hour),
    });
    await db.emailDelivery.createMany({
      data: [row('due', 'PENDING', at(-2 * hour)), row('later', 'PENDING', at(10 * hour)), row('refused', 'FAILED', at(-2 * hour))],
    });
    try {
      const text = await scrape(appWith(0));
      expect(valueOf(text, 'cascade_email_deliveries_due')).toBe(before.emailDue + 1);
      expect(valueOf(text, 'cascade_email_deliveries_failed')).toBe(before.emailFailed + 1);
      // Waiting since its office hours began two hours ago, not since it fired three hours ago.
      expect(valueOf(text, 'cascade_email_oldest_due_age_seconds')).toBeGreaterThanOrEqual(7200);
    } finally {
      await db.emailDelivery.deleteMany({ where: { messageId: `${suffix}-m` } });
    }
  });

  test('when a cascade is revoked or has every assignment finished then it counts as closed, else as issued only', async () => {
    const before = await readBusinessCounts(db);
    await db.assignment.updateMany({ where: { directiveId: rootId }, data: { stage: 'COMPLETED' } });
    const after = await readBusinessCounts(db);
    await db.assignment.updateMany({ where: { id: { in: [`${suffix}-a1`, `${suffix}-a2`] } }, data: { stage: 'DELIVERED' } });
    expect(after.cascadesIssued).toBe(before.cascadesIssued);
    expect(after.cascadesClosed).toBe(before.cascadesClosed + 1);
    const text = await scrape(appWith(0));
    expect(valueOf(text, 'cascade_cascades_issued_total')).toBe(before.cascadesIssued);
    expect(valueOf(text, 'cascade_cascades_closed_total')).toBe(before.cascadesClosed);
  });

  test('when scrapes come within BUSINESS_METRICS_CACHE_MS then they share one count, and with 0 each counts anew', async () => {
    const cached = appWith(60_000);
    const fresh = appWith(0);
    expect(valueOf(await scrape(cached), 'cascade_outbox_messages_pending', { kind })).toBe(2);
    await db.outboxMessage.create({ data: { id: `${suffix}-m4`, directiveId: rootId, kind, payload: {} } });
    expect(valueOf(await scrape(cached), 'cascade_outbox_messages_pending', { kind })).toBe(2);
    expect(valueOf(await scrape(fresh), 'cascade_outbox_messages_pending', { kind })).toBe(3);
  });

  test('when the planner is asked how it counts then every query can use its partial index over open rows', async () => {
    /** Thrown to roll the transaction back with the plan in hand. */
    class Explained extends Error {}
    // Which index the planner prefers depends on the statistics of the shared test database;
    // what matters is that the partial index serves the query: every other index of the table
    // is dropped inside a transaction that is rolled back.
    const plan = async (table: string, keep: string, sql: string): Promise<string> => {
      try {
        await db.$transaction(async (tx) => {
          await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
          const others = await tx.$queryRaw<Array<{ indexname: string }>>`
            SELECT indexname FROM pg_indexes WHERE tablename = ${table} AND indexname <> ${keep} AND indexname NOT LIKE '%pkey'`;
          for (const { indexname } of others) await tx.$executeRawUnsafe(`DROP INDEX "${indexname}"`);
          const rows = await tx.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(`EXPLAIN ${sql}`);
          throw new Explained(rows.map((r) => r['QUERY PLAN']).join('\n'));
        });
      } catch (err) {
        if (err instanceof Explained) return err.message;
        throw err;
      }
      throw new Error('unreachable: the transaction always rolls back');
    };
    // The statements read-model/business-metrics.ts runs, with its literal predicates.
    const open = `stage IN ('DELIVERED', 'ACKNOWLEDGED', 'CONCRETIZED', 'FORWARDED', 'REPORTED', 'FAILED')`;
    const expectations: Array<[string, string, string]> = [
      ['Assignment', 'Assignment_open_stage_level_idx', `SELECT stage, level, count(*) FROM "Assignment" WHERE ${open} GROUP BY stage, level`],
      [
        'Obligation',
        'Obligation_open_deadline_idx',
        `SELECT kind, level, count(*) FROM "Obligation" WHERE "doneAt" IS NULL AND "cancelledAt" IS NULL AND deadline < (now() AT TIME ZONE 'UTC') GROUP BY kind, level`,
      ],
      ['Escalation', 'Escalation_open_rung_idx', `SELECT rung, count(*) FROM "Escalation" WHERE "resolvedAt" IS NULL GROUP BY rung`],
      ['OutboxMessage', 'OutboxMessage_pending_createdAt_idx', `SELECT kind, count(*), min("createdAt") FROM "OutboxMessage" WHERE status = 'PENDING' GROUP BY kind`],
    ];
    for (const [table, index, sql] of expectations) expect(await plan(table, index, sql)).toContain(index);
    // A predicate the partial index does not cover cannot use it: the check can fail.
    expect(await plan('Assignment', 'Assignment_open_stage_level_idx', `SELECT count(*) FROM "Assignment" WHERE stage = 'COMPLETED'`)).not.toContain(
      'Assignment_open_stage_level_idx',
    );
  });
});
