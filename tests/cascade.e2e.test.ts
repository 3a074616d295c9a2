/**
 * An end-to-end cascade on the real dev server and PostgreSQL over the four-level demo
 * tree, checking the read model after each step.
 */
import type { Client } from '@temporalio/client';
import type { Db } from '../read-model/db';
import { demoTree } from '../domain/units/demo-tree';
import { issueDirective } from '../api/use-cases/issue-directive';
import type { Principal } from '../api/auth';
import { createStore } from '../read-model/store';
import { configSchema } from '../runtime/config';
import { issueDirectiveSchema } from '../api/schemas';
import { acknowledgeUpdate, concretizeUpdate, reportUpdate, revokeSignal, stateQuery } from '../contract/definitions';
import { uniqueSuffix } from './harness/stack';
import { waitFor } from '../stack/wait';
import { startRealCascade, type RealCascade } from './harness/real-cascade';
import { workflowIds } from '../contract/ids';

jest.setTimeout(180_000);

/** The admin, who issues without quotas. */
const ADMIN: Principal = { kind: 'admin', id: 'admin' };
const START_WAVE = configSchema.shape.CASCADE_START_WAVE.parse(undefined);

let db: Db;
let client: Client;
let taskQueue: string;
let stack: RealCascade;

beforeAll(async () => {
  stack = await startRealCascade('e2e');
  ({ db, client, taskQueue } = stack);
});

afterAll(() => stack.close());


/** The reason an Update was rejected (the failure's cause carries the validator's message). */
async function rejection(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { cause?: Error }).cause?.message ?? String(err);
  }
  throw new Error('expected the update to be rejected');
}

const stages = (directiveId: string) =>
  db.assignment.findMany({ where: { directiveId }, select: { unitCode: true, stage: true, level: true } });

describe('a cascade over the demo tree', () => {
  test('when a directive is issued and each level acts then the read model follows every step to completion', async () => {
    const body = issueDirectiveSchema.parse({
      number: `523/TTCS-TT-${uniqueSuffix()}`,
      kind: 'Công văn',
      title: 'Tuyên truyền Kết luận 70-KL/TW',
      issuerCode: 'TTCS',
      issuedAt: new Date().toISOString(),
      basedOn: ['164-HD/BTGTW'],
      policy: {
        ackWithin: 'PT1H',
        concretizeWithin: 'PT1H',
        reportDueAt: new Date(Date.now() + 3600_000).toISOString(),
        levelLeadTime: 'PT5M',
        concretizeLevels: ['province'],
        relay: 'on_delivery', // districts pass the plan on at once
        escalation: [{ after: 'PT0S', action: 'remind' }],
      },
    });
    const { id } = await issueDirective({ store: createStore(db), client, taskQueue, maxFanout: 500, startWave: START_WAVE }, ADMIN, body);

    // Delivered to the three provinces; nothing below until a province concretizes.
    let rows = await waitFor(() => stages(id), (r) => r.length === 3, 'delivery to provinces');
    expect(rows.every((r) => r.level === 'province' && r.stage === 'DELIVERED')).toBe(true);

    const vp = client.workflow.getHandle(workflowIds.assignment(id, 'STTTT-VP'));
    await waitFor(() => vp.query(stateQuery), () => true, 'province workflow');
    expect(
      await rejection(
        vp.executeUpdate(concretizeUpdate, {
          args: [{ actorUnitCode: 'STTTT-VP', number: 'KH-1', title: 'x', issuedAt: new Date().toISOString() }],
        }),
      ),
    ).toMatch(/acknowledge/);
    expect(await rejection(vp.executeUpdate(acknowledgeUpdate, { args: [{ actorUnitCode: 'STTTT-PT' }] }))).toMatch(
      /cannot act/,
    );
    const acked = await vp.executeUpdate(acknowledgeUpdate, { args: [{ actorUnitCode: 'STTTT-VP', note: 'đã nhận' }] });
    expect(acked.stage).toBe('ACKNOWLEDGED');
    expect(acked.waitingFor).toBe('concretize');
    const row = await db.assignment.findUniqueOrThrow({ where: { id: `${id}/STTTT-VP` } });
    expect(row.stage).toBe('ACKNOWLEDGED');
    expect(row.waitingFor).toBe('concretize');
    expect(row.acknowledgedAt).not.toBeNull();

    const concretized = await vp.executeUpdate(concretizeUpdate, {
      args: [{ actorUnitCode: 'STTTT-VP', number: `KH-${uniqueSuffix()}`, title: 'Kế hoạch tuyên truyền', issuedAt: new Date().toISOString(), tasks: [{ title: 'Phát sóng' }] }],
    });
    expect(concretized.stage).toBe('FORWARDED');
    expect(concretized.implementingDirectiveId).toBe(`${id}~STTTT-VP`);

    // Districts relay on delivery (they need not concretize), so communes are reached too.
    const vpUnits = demoTree().filter((u) => u.code.startsWith('VP-'));
    rows = await waitFor(() => stages(id), (r) => r.length === 3 + vpUnits.length, 'delivery below Vĩnh Phúc');
    // Units with units below run on the parents' queue (their own workflow cache), leaves on
    // the units' queue, whoever started them (the root, a concretizing province, a district).
    const queueOf = async (code: string) => (await client.workflow.getHandle(workflowIds.assignment(id, code)).describe()).taskQueue;
    const district = vpUnits.find((u) => u.level === 'district')!;
    const commune = vpUnits.find((u) => u.parentCode === district.code)!;
    expect(await queueOf('STTTT-VP')).toBe(`${taskQueue}-parents`);
    expect(await queueOf(district.code)).toBe(`${taskQueue}-parents`);
    expect(await queueOf(commune.code)).toBe(taskQueue);
    expect((await client.workflow.getHandle(workflowIds.directive(id)).describe()).taskQueue).toBe(taskQueue);
    const implementing = await db.directive.findUniqueOrThrow({ where: { id: `${id}~STTTT-VP` }, include: { tasks: true } });
    expect(implementing.parentId).toBe(id);
    expect(implementing.tasks).toHaveLength(1);

    // Every unit below acknowledges and reports; leaves first, so rollups have content.
    const below = vpUnits.sort((a, b) => b.code.length - a.code.length);
    for (const unit of below) {
      const h = client.workflow.getHandle(workflowIds.assignment(id, unit.code));
      await waitFor(() => h.query(stateQuery).catch(() => null), (v) => v !== null, `${unit.code} started`);
      await h.executeUpdate(acknowledgeUpdate, { args: [{ actorUnitCode: unit.code }] });
      const done = await h.executeUpdate(reportUpdate, { args: [{ actorUnitCode: unit.code, summary: 'xong', completion: 80 }] });
      expect(done.stage).toBe('COMPLETED');
    }
    const districtReport = await db.report.findUniqueOrThrow({ where: { id: `${id}/${district.code}#c1` } });
    expect(districtReport.rollup).toMatchObject({ children: 2, onTime: 2, missing: 0, averageCompletion: 80 });

    const final = await vp.executeUpdate(reportUpdate, { args: [{ actorUnitCode: 'STTTT-VP', summary: 'tổng hợp', completion: 90 }] });
    expect(final.stage).toBe('COMPLETED');
    const vpReport = await db.report.findUniqueOrThrow({ where: { id: `${id}/STTTT-VP#c1` } });
    expect(vpReport.rollup).toMatchObject({ children: 2, onTime: 2, missing: 0 });

    // Revocation closes every open assignment (the two other provinces) and the cascade ends.
    await client.workflow.getHandle(workflowIds.directive(id)).signal(revokeSignal, { reason: 'test' });
    rows = await waitFor(
      () => stages(id),
      (r) => r.filter((x) => x.stage === 'REVOKED').length === 2,
      'revocation',
    );
    expect(rows.filter((r) => r.stage === 'COMPLETED')).toHaveLength(1 + vpUnits.length);
    await client.workflow.getHandle(workflowIds.directive(id)).result();
    const timeline = await db.timelineEvent.findMany({ where: { assignmentId: `${id}/STTTT-VP` }, orderBy: { at: 'asc' } });
    expect(timeline.map((t) => t.type)).toEqual(['DELIVERED', 'ACKNOWLEDGED', 'CONCRETIZED', 'FORWARDED', 'REPORTED']);
  });

  test('when the process dies between recording a directive and starting its cascade then a retried issue starts it', async () => {
    const body = issueDirectiveSchema.parse({
      number: `CRASH-${uniqueSuffix()}`,
      kind: 'Công văn',
      title: 'crash between insert and start',
      issuerCode: 'TTCS',
      issuedAt: new Date().toISOString(),
      policy: { ackWithin: 'PT1H', concretizeLevels: [], relay: 'on_delivery' },
    });
    const crashing = {
      workflow: { start: () => Promise.reject(new Error('process killed')) },
    } as unknown as Client;
    await expect(issueDirective({ store: createStore(db), client: crashing, taskQueue, maxFanout: 500, startWave: START_WAVE }, ADMIN, body)).rejects.toThrow('process killed');
    const recorded = await db.directive.findFirstOrThrow({ where: { number: body.number } });
    expect(await db.assignment.count({ where: { directiveId: recorded.id } })).toBe(0);

    const retried = await issueDirective({ store: createStore(db), client, taskQueue, maxFanout: 500, startWave: START_WAVE }, ADMIN, body);
    expect(retried).toMatchObject({ id: recorded.id, created: false });
    // No level concretizes, so every unit below the issuer is reached by relays.
    const below = demoTree().length - 1;
    await waitFor(() => stages(recorded.id), (r) => r.length === below, 'delivery after the retry');
    // A third identical request changes nothing.
    await issueDirective({ store: createStore(db), client, taskQueue, maxFanout: 500, startWave: START_WAVE }, ADMIN, body);
    expect(await db.assignment.count({ where: { directiveId: recorded.id } })).toBe(below);
  });
});
