/**
 * The morning digest on the real stack: the read model writes one digest per unit with a
 * digest contact and something due, grouped by directive, once a day; the mail sender
 * delivers it through a real SMTP server (Mailpit) to the digest contacts only; and the
 * `daily-digest` Temporal schedule exists and runs the digest workflow.
 */
import request from 'supertest';
import type { Db } from '../../read-model/db';
import { enqueueDigests } from '../../read-model/digest';
import { digestWindow } from '../../domain/digest-window';
import { isWorkingDay, toVnLocalDate } from '../../domain/calendar/vn-holidays';
import { parseOfficeHours } from '../../domain/notifications/working-hours';
import { createMailSender } from '../../worker/mail-sender';
import { DIGEST_SCHEDULE_ID, ensureDigestSchedule } from '../../api/digest-schedule';
import { setLogLevel } from '../../runtime/log';
import { waitFor } from '../../stack/wait';
import { uniqueSuffix } from '../harness/stack';
import { startTestMailpit, type TestMailpit } from '../harness/mailpit';
import { ADMIN, bearer, startApiStack, type ApiStack } from '../api/helpers';

/** Tuesday 24 November 2026, 07:30 in Vietnam: a working day (checked below). */
const TUESDAY_0730 = new Date('2026-11-24T00:30:00Z');

let stack: ApiStack;
let db: Db;
let mailpit: TestMailpit;

beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  setLogLevel('error');
  db = stack.db;
  mailpit = await startTestMailpit();
});

afterAll(async () => {
  await mailpit?.close();
  await stack?.close();
});

async function unitWithContacts(contacts: Array<{ email: string; delivery: string }>): Promise<string> {
  const code = `G${uniqueSuffix().toUpperCase()}`;
  await request(stack.app)
    .put('/api/v1/units')
    .set(bearer(ADMIN))
    .send({ units: [{ code, name: `UBND xã ${code}`, level: 'commune', parentCode: null }] })
    .expect(200);
  for (const [i, c] of contacts.entries()) {
    await request(stack.app).post(`/api/v1/units/${code}/contacts`).set(bearer(ADMIN)).send({ name: `Cán bộ ${i}`, ...c }).expect(201);
  }
  return code;
}

async function directive(number: string, issuer: string): Promise<string> {
  const id = `dg-${uniqueSuffix()}`;
  await db.directive.create({
    data: {
      id, number, kind: 'Kế hoạch', title: `Kế hoạch ${number}`, issuerCode: issuer, issuedAt: new Date('2026-11-01T00:00:00Z'),
      rootId: id, recipients: [], basedOn: [], status: 'ACTIVE', policy: { ackWithin: 'P2D', calendar: 'vn-working-days', escalation: [] },
    },
  });
  return id;
}

async function owes(directiveId: string, unitCode: string, key: string, deadline: string, done = false): Promise<void> {
  const ownerId = `${directiveId}/${unitCode}`;
  await db.obligation.create({
    data: {
      id: `${ownerId}/${key}`, directiveId, ownerId, unitCode, level: 'commune', kind: key.split(/[@#]/)[0]!, key,
      deadline: new Date(deadline), ...(done ? { doneAt: new Date('2026-11-20T00:00:00Z') } : {}),
    },
  });
}

describe('the morning digest', () => {
  test('when a unit has overdue, due-today and due-soon obligations then one digest groups them by directive, once a day', async () => {
    expect(isWorkingDay(toVnLocalDate(TUESDAY_0730))).toBe(true);
    const unit = await unitWithContacts([{ email: 'van.thu@xa.test', delivery: 'digest' }]);
    const eachOnly = await unitWithContacts([{ email: 'lanh.dao@xa.test', delivery: 'each' }]);
    const nothingDue = await unitWithContacts([{ email: 'chuyen.vien@xa.test', delivery: 'both' }]);
    const a = await directive('145/KH-UBND', unit);
    const b = await directive('523/TTCS-TT', unit);
    await owes(a, unit, 'ack@1', '2026-11-23T10:00:00Z'); // overdue
    await owes(b, unit, 'concretize', '2026-11-24T09:00:00Z'); // due today
    await owes(a, unit, 'report#1', '2026-11-26T09:00:00Z'); // due within 3 working days
    await owes(b, unit, 'report#1', '2026-12-10T09:00:00Z'); // later: not in the digest
    await owes(b, unit, 'ack@1', '2026-11-23T09:00:00Z', true); // done: not in the digest
    await owes(a, eachOnly, 'ack@1', '2026-11-23T10:00:00Z');
    await owes(a, nothingDue, 'report#1', '2026-12-10T09:00:00Z');

    const window = digestWindow(TUESDAY_0730, 3);
    expect(window).toMatchObject({ date: '2026-11-24', workingDay: true });
    expect((await enqueueDigests(db, window)).messages).toBeGreaterThanOrEqual(1);
    const mine = await db.outboxMessage.findMany({ where: { kind: 'digest', recipientUnit: { in: [unit, eachOnly, nothingDue] } } });
    expect(mine.map((m) => m.id)).toEqual([`digest/2026-11-24/${unit}`]);
    expect(mine[0]!.payload).toMatchObject({
      kind: 'digest',
      unitCode: unit,
      date: '2026-11-24',
      groups: [
        {
          directiveId: a,
          number: '145/KH-UBND',
          items: [
            { assignmentId: `${a}/${unit}`, obligation: 'ack@1', deadline: '2026-11-23T10:00:00.000Z', status: 'overdue' },
            { obligation: 'report#1', deadline: '2026-11-26T09:00:00.000Z', status: 'due_soon' },
          ],
        },
        { directiveId: b, number: '523/TTCS-TT', items: [{ obligation: 'concretize', status: 'due_today' }] },
      ],
    });
    expect((mine[0]!.payload as { groups: unknown[] }).groups).toHaveLength(2);

    // A second run the same morning writes nothing more.
    await enqueueDigests(db, window);
    expect(await db.outboxMessage.count({ where: { kind: 'digest', recipientUnit: unit } })).toBe(1);
  });

  test('when the digest is sent then it reaches the digest contacts only, through SMTP', async () => {
    const unit = await unitWithContacts([
      { email: 'digest@xa.test', delivery: 'digest' },
      { email: 'moi-tin@xa.test', delivery: 'each' },
    ]);
    const a = await directive('12/KH-UBND', unit);
    await owes(a, unit, 'ack@1', '2026-11-23T10:00:00Z');
    await enqueueDigests(db, digestWindow(TUESDAY_0730, 3));

    const sender = createMailSender({
      db,
      smtpUrl: mailpit.smtpUrl,
      from: 'Theo dõi <no-reply@cascade.test>',
      dashboardUrl: 'https://theodoi.test',
      officeHours: parseOfficeHours('07:30-17:00'),
      pollMs: 20,
      clock: () => TUESDAY_0730,
    });
    try {
      await waitFor(
        async () => {
          await sender.round();
          return db.emailDelivery.findMany({ where: { messageId: `digest/2026-11-24/${unit}` } });
        },
        (rows) => rows.length > 0 && rows.every((r) => r.status === 'SENT'),
        'the digest sent',
        60_000,
        50,
      );
    } finally {
      sender.close();
    }
    const mine = ['digest@xa.test', 'moi-tin@xa.test'];
    const arrived = (await mailpit.messages()).filter((m) => m.To.some((t) => mine.includes(t.Address)));
    expect(arrived.map((m) => m.To[0]!.Address)).toEqual(['digest@xa.test']);
    const mail = await mailpit.message(arrived[0]!.ID);
    expect(mail.Text).toContain('12/KH-UBND');
    expect(mail.Text).toContain(`https://theodoi.test/dashboard/#/d/${a}/u/${unit}`);
  });

  test('when the API ensures the daily-digest schedule then it runs the digest workflow every morning in Vietnam time', async () => {
    const config = { taskQueue: stack.config.TEMPORAL_TASK_QUEUE, at: '07:30', dueSoonDays: 3 };
    await ensureDigestSchedule(stack.client, config);
    await ensureDigestSchedule(stack.client, { ...config, at: '07:45' }); // a second start updates it
    const handle = stack.client.schedule.getHandle(DIGEST_SCHEDULE_ID);
    const described = await handle.describe();
    expect(described.spec.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 7, end: 7, step: 1 }], minute: [{ start: 45, end: 45, step: 1 }] });

    await handle.trigger();
    const run = await waitFor(
      async () => (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId,
      (id) => !!id,
      'the triggered run',
      30_000,
      200,
    );
    const result = await stack.client.workflow.getHandle(run!).result();
    // Whatever the day the test runs: the date is Vietnam's, and a day off writes nothing.
    const date = toVnLocalDate(new Date());
    expect(result.date).toBe(date);
    expect(result.workingDay).toBe(isWorkingDay(date));
    if (!result.workingDay) expect(result.messages).toBe(0);
    await handle.delete();
  });
});
