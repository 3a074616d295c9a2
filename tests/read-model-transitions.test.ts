/**
 * The activities' writes (read-model/transitions.ts) on the real database: escalation
 * episodes and their resolution, and assignment updates that apply only in sequence order.
 */
import type { Db } from '../read-model/db';
import * as rm from '../read-model/transitions';
import { upsertUnits } from '../read-model/units';
import { demoTree } from '../domain/units/demo-tree';
import { Stage, type CascadePolicy } from '../contract/definitions';
import type { PersistEventInput, ReportActivityInput } from '../contract/activities';
import { testDb, uniqueSuffix } from './harness/stack';

let db: Db;
beforeAll(async () => {
  db = testDb();
  await upsertUnits(db, demoTree());
});
afterAll(() => db.$disconnect());

const UNIT = 'STTTT-VP';
const D1 = '2026-11-22T03:00:00.000Z';
const D2 = '2026-11-25T03:00:00.000Z';
const policy: CascadePolicy = {
  ackWithin: 'P2D',
  escalation: [{ after: 'PT0S', action: 'remind' }],
  calendar: 'none',
  concretizeLevels: ['province'],
};

/** A delivered assignment (seq 0) of a fresh directive; returns the ids and an event builder. */
async function delivered() {
  const directiveId = `rm-${uniqueSuffix()}`;
  const assignmentId = `${directiveId}/${UNIT}`;
  await rm.recordDelivery(
    db,
    {
      assignmentId,
      directiveId,
      unitCode: UNIT,
      parentAssignmentId: null,
      parentUnitCode: 'TTCS',
      receivedDirectiveId: directiveId,
      relDepth: 1,
      policy,
      baseCycles: [],
      directiveVersion: 1,
      at: '2026-11-20T03:00:00.000Z',
    },
    { level: 'province', depth: 1 },
    { isLeaf: false, mustConcretize: true, ackPlan: { deadline: D1, times: [D1, D1] } },
  );
  const event = (
    seq: number,
    type: PersistEventInput['type'],
    extra: Partial<PersistEventInput> = {},
  ): PersistEventInput => ({
    assignmentId,
    directiveId,
    unitCode: UNIT,
    seq,
    at: new Date(Date.parse('2026-11-21T00:00:00.000Z') + seq * 60_000).toISOString(),
    type,
    ...extra,
  });
  const escalated = (seq: number, obligation: string, deadline: string, rung = 1) =>
    event(seq, 'ESCALATED', {
      patch: { overdue: true, escalationRung: rung },
      escalation: { obligation, rung, action: 'remind', targetUnitCode: UNIT, deadline },
      notify: [{ kind: 'escalation_remind', recipientUnit: UNIT, payload: { obligation, rung } }],
    });
  const escalations = () =>
    db.escalation.findMany({
      where: { assignmentId },
      orderBy: { firedAt: 'asc' },
      select: { obligation: true, deadline: true, rung: true, resolution: true },
    });
  const row = () => db.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
  return { directiveId, assignmentId, event, escalated, escalations, row };
}

const extension = (requestId: string, obligation: string, status: 'PENDING' | 'APPROVED') => ({
  requestId,
  obligation,
  currentDeadline: D1,
  requestedDeadline: D2,
  reason: 'cần thêm thời gian',
  status,
});

describe('escalation episodes', () => {
  test('when an approved extension restarts the ladder then the second overdue episode is recorded as well', async () => {
    const a = await delivered();
    await rm.recordEvent(db, a.escalated(1, 'ack@1', D1), undefined);
    await rm.recordEvent(
      db,
      a.event(2, 'EXTENSION_REQUESTED', { extension: extension('r1', 'ack@1', 'PENDING') }),
      undefined,
    );
    await rm.recordEvent(
      db,
      a.event(3, 'EXTENSION_DECIDED', {
        extension: extension('r1', 'ack@1', 'APPROVED'),
        resolveEscalations: 'extended',
      }),
      undefined,
    );
    await rm.recordEvent(db, a.escalated(4, 'ack@1', D2), undefined);
    // A retry of the second episode's rung writes nothing new.
    await rm.recordEvent(db, a.escalated(4, 'ack@1', D2), undefined);

    expect(await a.escalations()).toEqual([
      { obligation: 'ack@1', deadline: new Date(D1), rung: 1, resolution: 'extended' },
      { obligation: 'ack@1', deadline: new Date(D2), rung: 1, resolution: null },
    ]);
    expect(await db.outboxMessage.count({ where: { directiveId: a.directiveId } })).toBe(2);
  });

  test('when the unit acknowledges an amendment then only the acknowledgement escalations are resolved', async () => {
    const a = await delivered();
    await rm.recordEvent(db, a.escalated(1, 'report#1', D1), undefined);
    await rm.recordEvent(db, a.escalated(2, 'ack@2', D2), undefined);
    await rm.recordEvent(
      db,
      a.event(3, 'ACKNOWLEDGED', {
        patch: { stage: Stage.ACKNOWLEDGED },
        resolveEscalations: 'acknowledged',
        obligation: 'ack@2',
      }),
      undefined,
    );
    expect(await a.escalations()).toEqual([
      expect.objectContaining({ obligation: 'report#1', resolution: null }),
      expect.objectContaining({ obligation: 'ack@2', resolution: 'acknowledged' }),
    ]);
    // Without an obligation (completion, revocation) every open escalation is resolved.
    await rm.recordEvent(
      db,
      a.event(4, 'REVOKED', { patch: { stage: Stage.REVOKED }, resolveEscalations: 'revoked' }),
      undefined,
    );
    expect((await a.escalations()).map((e) => e.resolution)).toEqual(['revoked', 'acknowledged']);
  });

  test('when a stale extension for the acknowledgement is approved then the current concretize escalations stay open', async () => {
    const a = await delivered();
    await rm.recordEvent(
      db,
      a.event(1, 'EXTENSION_REQUESTED', { extension: extension('old', 'ack@1', 'PENDING') }),
      undefined,
    );
    await rm.recordEvent(
      db,
      a.event(2, 'ACKNOWLEDGED', { patch: { stage: Stage.ACKNOWLEDGED } }),
      undefined,
    );
    await rm.recordEvent(db, a.escalated(3, 'concretize', D2), undefined);
    await rm.recordEvent(
      db,
      a.event(4, 'EXTENSION_DECIDED', {
        extension: extension('old', 'ack@1', 'APPROVED'),
        resolveEscalations: 'extended',
      }),
      undefined,
    );
    expect(await a.escalations()).toEqual([
      expect.objectContaining({ obligation: 'concretize', resolution: null }),
    ]);
  });

  test('when a report is submitted then its cycle is resolved, and the last report resolves the rest', async () => {
    const a = await delivered();
    await rm.recordEvent(db, a.escalated(1, 'report#1', D1), undefined);
    await rm.recordEvent(db, a.escalated(2, 'ack@2', D2), undefined);
    await rm.recordReport(db, report(a, 3, 1, Stage.REPORTED), {
      onTime: false,
      rollup: rollup(1),
      plan: undefined,
    });
    expect(await a.escalations()).toEqual([
      expect.objectContaining({ obligation: 'report#1', resolution: 'reported' }),
      expect.objectContaining({ obligation: 'ack@2', resolution: null }),
    ]);
    await rm.recordReport(db, report(a, 4, 2, Stage.COMPLETED), {
      onTime: true,
      rollup: rollup(2),
      plan: undefined,
    });
    expect((await a.escalations()).map((e) => e.resolution)).toEqual(['reported', 'completed']);
  });
});

describe('an acknowledgement that completes the assignment (one write)', () => {
  const lastDuty = (a: Awaited<ReturnType<typeof delivered>>, seq: number) =>
    a.event(seq, 'ACKNOWLEDGED', {
      data: { note: null, version: 1 },
      patch: { stage: Stage.COMPLETED, ackVersion: 1, overdue: false, escalationRung: 0 },
      waitingFor: null,
      resolveEscalations: 'acknowledged',
      obligation: 'ack@1',
      completes: true,
    });

  test('when it is recorded then the timeline has both events, the row is completed and the ack obligation is done', async () => {
    const a = await delivered();
    await rm.recordEvent(db, lastDuty(a, 1), undefined);
    const events = await db.timelineEvent.findMany({ where: { assignmentId: a.assignmentId }, orderBy: { id: 'asc' } });
    expect(events.map((e) => [e.id.split('#')[1], e.type])).toEqual([
      ['0', 'DELIVERED'],
      ['1', 'ACKNOWLEDGED'],
      ['2', 'COMPLETED'],
    ]);
    const row = await a.row();
    expect(row).toMatchObject({ stage: Stage.COMPLETED, ackVersion: 1, lastSeq: 2, waitingFor: null, nextDeadline: null });
    expect(row.acknowledgedAt).toEqual(new Date(events[1]!.at));
    expect(row.completedAt).toEqual(new Date(events[1]!.at));
    const ack = await db.obligation.findUniqueOrThrow({ where: { id: `${a.assignmentId}/ack@1` } });
    expect(ack.doneAt).toEqual(new Date(events[1]!.at));
  });

  test('when escalations of the ack and of another obligation are open then the ack\'s resolve as acknowledged and the rest as completed', async () => {
    const a = await delivered();
    await rm.recordEvent(db, a.escalated(1, 'ack@1', D1), undefined);
    await rm.recordEvent(db, a.escalated(2, 'concretize', D2), undefined);
    await rm.recordEvent(db, lastDuty(a, 3), undefined);
    expect((await a.escalations()).map((e) => [e.obligation, e.resolution])).toEqual([
      ['ack@1', 'acknowledged'],
      ['concretize', 'completed'],
    ]);
  });

  test('when the same write is retried then nothing is written twice and a later event is not undone', async () => {
    const a = await delivered();
    await rm.recordEvent(db, lastDuty(a, 1), undefined);
    await rm.recordEvent(db, a.event(3, 'REVOKED', { patch: { stage: Stage.REVOKED } }), undefined);
    await rm.recordEvent(db, lastDuty(a, 1), undefined);
    expect(await db.timelineEvent.count({ where: { assignmentId: a.assignmentId } })).toBe(4);
    expect(await a.row()).toMatchObject({ stage: Stage.REVOKED, lastSeq: 3 });
  });
});

describe('one statement per event', () => {
  test('when an event would both fire and resolve escalations then it is refused before anything is written', async () => {
    const a = await delivered();
    const both = { ...a.escalated(1, 'ack@1', D1), resolveEscalations: 'acknowledged' };
    await expect(rm.recordEvent(db, both, undefined)).rejects.toThrow(/does not resolve escalations/);
    expect(await db.timelineEvent.count({ where: { assignmentId: a.assignmentId } })).toBe(1);
  });

  test('when an escalation fires then its notification is in the outbox once, even when the write is retried', async () => {
    const a = await delivered();
    await rm.recordEvent(db, a.escalated(1, 'ack@1', D1), undefined);
    await rm.recordEvent(db, a.escalated(1, 'ack@1', D1), undefined);
    const messages = await db.outboxMessage.findMany({ where: { directiveId: a.directiveId } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ kind: 'escalation_remind', recipientUnit: UNIT, status: 'PENDING' });
    expect(messages[0]!.payload).toMatchObject({ kind: 'escalation_remind', obligation: 'ack@1', rung: 1 });
  });
});

describe('assignment updates in sequence order', () => {
  test('when seq 3 is written and then seq 2 then the row keeps the stage of seq 3', async () => {
    const a = await delivered();
    await rm.recordEvent(
      db,
      a.event(3, 'ACKNOWLEDGED', { patch: { stage: Stage.ACKNOWLEDGED, overdue: false } }),
      undefined,
    );
    await rm.recordEvent(db, a.escalated(2, 'ack@1', D1), undefined);
    const row = await a.row();
    expect(row).toMatchObject({
      stage: Stage.ACKNOWLEDGED,
      overdue: false,
      escalationRung: 0,
      lastSeq: 3,
    });
    // The late event is still a fact of the timeline.
    expect(await db.timelineEvent.count({ where: { assignmentId: a.assignmentId } })).toBe(3);
  });

  test('when an implementing document arrives after a later event then the later stage stays', async () => {
    const a = await delivered();
    await rm.recordEvent(
      db,
      a.event(3, 'FORWARDED', { patch: { stage: Stage.FORWARDED } }),
      undefined,
    );
    await rm.recordImplementingDocument(db, {
      id: `${a.directiveId}~${UNIT}`,
      rootDirectiveId: a.directiveId,
      receivedDirectiveId: a.directiveId,
      receivedNumber: null,
      assignmentId: a.assignmentId,
      unitCode: UNIT,
      seq: 2,
      at: '2026-11-21T00:02:00.000Z',
      number: `KH-${uniqueSuffix()}`,
      title: 'Kế hoạch',
      issuedAt: '2026-11-21T00:00:00.000Z',
      recipients: [],
    });
    expect(await a.row()).toMatchObject({ stage: Stage.FORWARDED, lastSeq: 3 });
  });

  test('when a report arrives after a later event then the later stage stays', async () => {
    const a = await delivered();
    await rm.recordEvent(
      db,
      a.event(4, 'REVOKED', { patch: { stage: Stage.REVOKED }, resolveEscalations: 'revoked' }),
      undefined,
    );
    await rm.recordReport(db, report(a, 3, 1, Stage.REPORTED), {
      onTime: true,
      rollup: rollup(1),
      plan: undefined,
    });
    expect(await a.row()).toMatchObject({ stage: Stage.REVOKED, lastSeq: 4, reportCycle: 0 });
  });
});

function report(
  a: { directiveId: string; assignmentId: string },
  seq: number,
  cycle: number,
  stage: Stage,
): ReportActivityInput {
  return {
    assignmentId: a.assignmentId,
    directiveId: a.directiveId,
    unitCode: UNIT,
    seq,
    at: new Date(Date.parse('2026-11-21T00:00:00.000Z') + seq * 60_000).toISOString(),
    cycle,
    dueAt: D1,
    summary: 'báo cáo',
    completion: 50,
    stage,
  };
}

function rollup(cycle: number) {
  return { cycle, children: 0, onTime: 0, late: 0, missing: 0, averageCompletion: null };
}
