/** A retried activity (same workflow event sequence) writes nothing new. */
import type { Db } from '../read-model/db';
import { createActivities } from '../activities';
import { createRootDirective } from '../read-model/directives';
import { createStore } from '../read-model/store';
import { upsertUnits } from '../read-model/units';
import { demoTree } from '../domain/units/demo-tree';
import type { PersistEventInput } from '../contract/activities';
import { testDb, uniqueSuffix } from './harness/stack';

let db: Db;
beforeAll(async () => {
  db = testDb();
  await upsertUnits(db, demoTree());
});
afterAll(() => db.$disconnect());

const policy = { ackWithin: 'P2D', escalation: [{ after: 'PT0S', action: 'remind' as const }], calendar: 'none' as const, concretizeLevels: [] };

describe('activity idempotency', () => {
  test('when delivery and an escalation are retried after they wrote then nothing is written twice', async () => {
    const acts = createActivities({ store: createStore(db) });
    const directiveId = `idem-${uniqueSuffix()}`;
    const assignmentId = `${directiveId}/STTTT-VP`;
    const deliver = {
      assignmentId, directiveId, unitCode: 'STTTT-VP', parentAssignmentId: null, parentUnitCode: 'TTCS',
      receivedDirectiveId: directiveId, relDepth: 1, policy, baseCycles: [], directiveVersion: 1, at: '2026-11-20T03:00:00.000Z',
    };
    // Delivery reads the cascade's level rules from its stored directive.
    await createRootDirective(db, {
      id: directiveId, number: directiveId, kind: 'Công văn', title: 'idempotency', issuerCode: 'TTCS',
      issuedAt: new Date('2026-11-20T03:00:00.000Z'), body: null, basedOn: [], recipients: ['STTTT-VP'], policy, tasks: [],
    });
    const first = await acts.deliver(deliver);
    const again = await acts.deliver(deliver);
    expect(again).toEqual(first);
    expect(first.ackPlan.deadline).toBe('2026-11-22T03:00:00.000Z');
    expect(await db.assignment.count({ where: { directiveId } })).toBe(1);
    // The one statement wrote the row, its DELIVERED event and the acknowledgement obligation.
    expect(await db.assignment.findUniqueOrThrow({ where: { id: assignmentId } })).toMatchObject({
      unitCode: 'STTTT-VP', level: 'province', depth: 1, parentAssignmentId: null, parentUnitCode: 'TTCS',
      receivedDirectiveId: directiveId, stage: 'DELIVERED', isLeaf: false, directiveVersion: 1, ackVersion: 0, lastSeq: 0,
      waitingFor: 'ack@1', nextDeadline: new Date('2026-11-22T03:00:00.000Z'), deliveredAt: new Date('2026-11-20T03:00:00.000Z'),
    });
    expect(await db.timelineEvent.findMany({ where: { assignmentId }, select: { type: true, at: true, data: true } })).toEqual([
      { type: 'DELIVERED', at: new Date('2026-11-20T03:00:00.000Z'), data: { from: 'TTCS', documentId: directiveId } },
    ]);
    expect(await db.obligation.findMany({ where: { ownerId: assignmentId } })).toEqual([
      expect.objectContaining({ key: 'ack@1', kind: 'ack', level: 'province', provinceCode: 'STTTT-VP', deadline: new Date('2026-11-22T03:00:00.000Z'), doneAt: null }),
    ]);
    expect(first.children.map((c) => c.code)).toEqual([...first.children.map((c) => c.code)].sort());
    expect(first.children.length).toBeGreaterThan(0);

    const escalate: PersistEventInput = {
      assignmentId, directiveId, unitCode: 'STTTT-VP', seq: 1, at: '2026-11-22T03:00:01.000Z', type: 'ESCALATED',
      patch: { escalationRung: 1, overdue: true },
      escalation: { obligation: 'ack@1', rung: 1, action: 'remind', targetUnitCode: 'STTTT-VP', deadline: first.ackPlan.deadline },
      notify: [{ kind: 'escalation_remind', recipientUnit: 'STTTT-VP', payload: { unitCode: 'STTTT-VP' } }],
    };
    await acts.persistEvent(escalate);
    await acts.persistEvent(escalate);
    expect(await db.timelineEvent.count({ where: { assignmentId } })).toBe(2); // DELIVERED + ESCALATED
    expect(await db.escalation.count({ where: { assignmentId } })).toBe(1);
    expect(await db.outboxMessage.count({ where: { directiveId } })).toBe(1);

    // A later event applies; replaying the earlier one does not roll the row back.
    await acts.persistEvent({
      assignmentId, directiveId, unitCode: 'STTTT-VP', seq: 2, at: '2026-11-22T04:00:00.000Z', type: 'ACKNOWLEDGED',
      patch: { stage: 'ACKNOWLEDGED' as never, overdue: false, escalationRung: 0, ackVersion: 1 }, resolveEscalations: 'acknowledged',
    });
    await acts.persistEvent(escalate);
    const row = await db.assignment.findUniqueOrThrow({ where: { id: assignmentId } });
    expect(row.stage).toBe('ACKNOWLEDGED');
    expect(row.overdue).toBe(false);
    const esc = await db.escalation.findFirstOrThrow({ where: { assignmentId } });
    expect(esc.resolution).toBe('acknowledged');
  });
});
