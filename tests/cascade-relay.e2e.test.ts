/**
 * Fan-out beyond the per-workflow limit goes through relay workflows. With a fan-out
 * limit of 2, the issuer's three provinces and a province's communes (addressed directly,
 * skipping districts) are started by relays; revocation still reaches every unit.
 */
import type { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Db } from '../lib/db';
import { createCascadeWorker } from '../lib/worker';
import { demoTree } from '../lib/units/demo-tree';
import { upsertUnits } from '../lib/units/upsert';
import { issueDirective } from '../api/use-cases/issue-directive';
import { issueDirectiveSchema } from '../api/schemas';
import { acknowledgeUpdate, concretizeUpdate, ids, revokeSignal } from '../workflows/definitions';
import { stackState, testDb, testTemporal, uniqueSuffix } from './harness/stack';

jest.setTimeout(120_000);

let db: Db;
let connection: Connection;
let client: Client;
let native: NativeConnection;
let worker: Worker;
let running: Promise<void>;
const taskQueue = `relay-${uniqueSuffix()}`;

beforeAll(async () => {
  db = testDb();
  ({ connection, client } = await testTemporal());
  native = await NativeConnection.connect({ address: stackState().temporalAddress });
  await upsertUnits(db, demoTree());
  worker = await createCascadeWorker({ connection: native, namespace: 'default', taskQueue, db });
  running = worker.run();
});

afterAll(async () => {
  worker.shutdown();
  await running;
  await native.close();
  await connection.close();
  await db.$disconnect();
});

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('when recipients exceed the fan-out limit then relays deliver to all of them and revocation reaches every unit', async () => {
  const input = issueDirectiveSchema.parse({
    number: `RELAY-${uniqueSuffix()}`,
    kind: 'Chỉ thị',
    title: 'Relay test',
    issuerCode: 'TTCS',
    issuedAt: new Date().toISOString(),
    policy: { ackWithin: 'PT1H', concretizeLevels: ['province'] },
  });
  const { id } = await issueDirective({ db, client, taskQueue, maxFanout: 2 }, input);
  await until(() => db.assignment.count({ where: { directiveId: id } }), (n) => n === 3, 'three provinces');

  // The three provinces came through relays, not straight from the directive workflow.
  const description = await client.workflow.getHandle(ids.assignment(id, 'STTTT-VP')).describe();
  expect(description.parentExecution?.workflowId).toMatch(new RegExp(`^cascade/${id}/TTCS/relay-`));

  // Vĩnh Phúc addresses its four commune stations directly; two relays of two each.
  const vp = client.workflow.getHandle(ids.assignment(id, 'STTTT-VP'));
  await until(() => vp.describe().then(() => true).catch(() => false), (ok) => ok, 'province workflow');
  await until(
    () => vp.executeUpdate(acknowledgeUpdate, { args: [{ actorUnitCode: 'STTTT-VP' }] }).then(() => true).catch(() => false),
    (ok) => ok,
    'acknowledge',
  );
  const communes = demoTree().filter((u) => u.level === 'commune' && u.code.startsWith('VP-')).map((u) => u.code);
  await vp.executeUpdate(concretizeUpdate, {
    args: [{ actorUnitCode: 'STTTT-VP', number: `KH-${uniqueSuffix()}`, title: 'KH', issuedAt: new Date().toISOString(), recipients: communes }],
  });
  await until(() => db.assignment.count({ where: { directiveId: id } }), (n) => n === 3 + communes.length, 'communes');
  const commune = await db.assignment.findUniqueOrThrow({ where: { id: `${id}/${communes[0]}` } });
  expect(commune.parentUnitCode).toBe('STTTT-VP'); // the business parent, whatever relayed it
  expect((await client.workflow.getHandle(ids.assignment(id, communes[0]!)).describe()).parentExecution?.workflowId).toMatch(
    /\/STTTT-VP\/relay-/,
  );

  await client.workflow.getHandle(ids.directive(id)).signal(revokeSignal, { reason: 'test' });
  // Vĩnh Phúc owes no report, so it completed when it forwarded; everyone else is open.
  expect((await db.assignment.findUniqueOrThrow({ where: { id: `${id}/STTTT-VP` } })).stage).toBe('COMPLETED');
  await until(
    () => db.assignment.count({ where: { directiveId: id, stage: 'REVOKED' } }),
    (n) => n === 2 + communes.length,
    'every open unit revoked',
  );
  // The root closes only once every relay and assignment below it has closed.
  await client.workflow.getHandle(ids.directive(id)).result();
  const relay = await client.workflow.getHandle(`cascade/${id}/STTTT-VP/relay-0`).describe();
  expect(relay.status.name).toBe('COMPLETED');
});
