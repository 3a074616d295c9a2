/**
 * E-mail to people through a real SMTP server (Mailpit, read back through its API): each
 * outbox message reaches each contact who wants it once, in their language; an outage loses
 * nothing and duplicates nothing; a refusal is recorded; a unit without contacts is recorded;
 * messages wait for office hours. Every test uses its own units, addresses and messages in the
 * run's shared database, and asserts only on those.
 */
import crypto from 'node:crypto';
import request from 'supertest';
import type { Db } from '../../read-model/db';
import { assignmentHistory } from '../../read-model/assignments';
import { createMailSender, expandOutbox, mailMessageId, type MailSenderOptions } from '../../worker/mail-sender';
import { parseOfficeHours } from '../../domain/notifications/working-hours';
import { isWorkingDay } from '../../domain/calendar/vn-holidays';
import { setLogLevel } from '../../runtime/log';
import { waitFor } from '../../stack/wait';
import { uniqueSuffix } from '../harness/stack';
import { startTestMailpit, type TestMailpit } from '../harness/mailpit';
import { ADMIN, bearer, startApiStack, type ApiStack } from '../api/helpers';

const hours = parseOfficeHours('07:30-17:00');
/** A Tuesday, 10:00 in Vietnam: within office hours. */
const TUESDAY_10 = new Date('2026-11-24T03:00:00Z');

let stack: ApiStack;
let db: Db;
let mailpit: TestMailpit;

beforeAll(async () => {
  stack = await startApiStack();
  setLogLevel('error'); // every scripted failure would log a warning
  db = stack.db;
  mailpit = await startTestMailpit({ allowedRecipients: '@mail\\.test$' });
});

afterAll(async () => {
  await mailpit.close();
  await stack.close();
});

function senderOptions(extra: Partial<MailSenderOptions> = {}): MailSenderOptions {
  return {
    db,
    smtpUrl: mailpit.smtpUrl,
    from: 'Theo dõi <no-reply@cascade.test>',
    dashboardUrl: 'https://theodoi.test',
    officeHours: hours,
    pollMs: 20,
    batchSize: 50,
    requestTimeoutMs: 3000,
    backoffBaseMs: 50,
    maxBackoffMs: 200,
    clock: () => TUESDAY_10,
    ...extra,
  };
}

/** Rounds of one sender until `done` holds. */
async function drainUntil(done: () => Promise<boolean>, opts: Partial<MailSenderOptions> = {}, what = 'the deliveries'): Promise<void> {
  const sender = createMailSender(senderOptions(opts));
  try {
    await waitFor(async () => (await sender.round(), done()), (ok) => ok, what, 60_000, 50);
  } finally {
    sender.close();
  }
}

interface Fixture {
  unit: string;
  directiveId: string;
  number: string;
}

/** A unit with a directive of its own (number 523/<unit>) on `calendar`, and `contacts`. */
async function fixture(calendar: 'none' | 'vn-working-days', contacts: Array<{ email: string; language?: string; delivery?: string }>): Promise<Fixture> {
  const sfx = uniqueSuffix().toUpperCase();
  const unit = `M${sfx}`;
  await request(stack.app)
    .put('/api/v1/units')
    .set(bearer(ADMIN))
    .send({ units: [{ code: unit, name: `Sở TT&TT ${sfx}`, level: 'province', parentCode: null }] })
    .expect(200);
  const directiveId = `dir-${sfx}`;
  const number = `523/${unit}`;
  await db.directive.create({
    data: {
      id: directiveId,
      number,
      kind: 'Công văn',
      title: 'Tuyên truyền Kết luận số 70-KL/TW',
      issuerCode: unit,
      issuedAt: new Date('2026-11-20T00:00:00Z'),
      rootId: directiveId,
      recipients: [],
      basedOn: [],
      status: 'ACTIVE',
      policy: { ackWithin: 'P2D', calendar, escalation: [] },
    },
  });
  for (const [i, c] of contacts.entries()) {
    await request(stack.app)
      .post(`/api/v1/units/${unit}/contacts`)
      .set(bearer(ADMIN))
      .send({ name: `Người nhận ${i}`, email: c.email, ...(c.language ? { language: c.language } : {}), ...(c.delivery ? { delivery: c.delivery } : {}) })
      .expect(201);
  }
  return { unit, directiveId, number };
}

/** An outbox message as a workflow writes it: a reminder of `f.unit`'s acknowledgement. */
async function enqueue(f: Fixture, opts: { kind?: string; at?: Date; id?: string; recipientUnit?: string } = {}): Promise<string> {
  const id = opts.id ?? `${f.directiveId}/${f.unit}#${crypto.randomUUID()}/0`;
  const kind = opts.kind ?? 'reminder_due';
  await db.outboxMessage.create({
    data: {
      id,
      directiveId: f.directiveId,
      kind,
      recipientUnit: opts.recipientUnit ?? f.unit,
      payload: {
        id,
        kind,
        at: (opts.at ?? new Date('2026-11-24T02:00:00Z')).toISOString(),
        directiveId: f.directiveId,
        unitCode: f.unit,
        obligation: 'ack@1',
        deadline: '2026-11-25T10:00:00.000Z',
        rung: 1,
      },
    },
  });
  return id;
}

const deliveriesOf = (messageIds: string[]) =>
  db.emailDelivery.findMany({ where: { messageId: { in: messageIds } }, orderBy: { id: 'asc' } });
const allSettled = (messageIds: string[], expected: number) => async () => {
  const rows = await deliveriesOf(messageIds);
  return rows.length === expected && rows.every((r) => r.status !== 'PENDING');
};
const arrivedFor = async (address: string) => (await mailpit.messages()).filter((m) => m.To.some((t) => t.Address === address));

describe('e-mail to people', () => {
  test('when a reminder is due then each contact who wants every message gets it once, in their language, and a digest-only contact gets none', async () => {
    const sfx = uniqueSuffix();
    const vi = `vi-${sfx}@mail.test`;
    const en = `en-${sfx}@mail.test`;
    const digest = `digest-${sfx}@mail.test`;
    const f = await fixture('none', [{ email: vi }, { email: en, language: 'en', delivery: 'both' }, { email: digest, delivery: 'digest' }]);
    const id = await enqueue(f);

    await drainUntil(allSettled([id], 2));

    const rows = await deliveriesOf([id]);
    expect(rows.map((r) => [r.email, r.status])).toEqual(expect.arrayContaining([[vi, 'SENT'], [en, 'SENT']]));
    const [toVi] = await arrivedFor(vi);
    const [toEn] = await arrivedFor(en);
    expect(toVi?.Subject).toBe(`[Sắp đến hạn] ${f.number} — tiếp nhận trước 17:00 ngày 25/11/2026`);
    expect(toEn?.Subject).toBe(`[Due soon] ${f.number} — acknowledge by 17:00 on 25/11/2026`);
    expect(await arrivedFor(digest)).toEqual([]);
    const contactVi = rows.find((r) => r.email === vi)!.contactId!;
    expect(`<${toVi!.MessageID}>`).toBe(mailMessageId(id, contactVi, 'Theo dõi <no-reply@cascade.test>'));
    const body = await mailpit.message(toVi!.ID);
    const link = `https://theodoi.test/dashboard/#/d/${f.directiveId}/u/${f.unit}`;
    expect(body.Text).toContain(link);
    expect(body.HTML).toContain(`href="${link}"`);
  });

  test('when a unit has no contact for a message then the delivery is recorded as no recipient and listed by the API', async () => {
    const f = await fixture('none', [{ email: `digest-only-${uniqueSuffix()}@mail.test`, delivery: 'digest' }]);
    const id = await enqueue(f);

    await drainUntil(allSettled([id], 1));

    const res = await request(stack.app).get(`/api/v1/units/${f.unit}/deliveries`).query({ status: 'NO_RECIPIENT' }).set(bearer(ADMIN)).expect(200);
    expect(res.body.items).toEqual([expect.objectContaining({ messageId: id, status: 'NO_RECIPIENT', email: null, contactId: null })]);
  });

  test('when the mail server refuses an address for good then that delivery is FAILED with its reason, never retried, and the others are sent', async () => {
    const good = `good-${uniqueSuffix()}@mail.test`;
    const f = await fixture('none', [{ email: good }, { email: `nobody-${uniqueSuffix()}@refused.test` }]);
    const id = await enqueue(f);

    await drainUntil(allSettled([id], 2));
    const sender = createMailSender(senderOptions());
    await sender.round(); // a later round leaves the refusal alone
    sender.close();

    const rows = await deliveriesOf([id]);
    const refused = rows.find((r) => r.email !== good)!;
    expect(refused).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(refused.lastError).toMatch(/^550 /);
    expect(rows.find((r) => r.email === good)?.status).toBe('SENT');
    const res = await request(stack.app).get(`/api/v1/units/${f.unit}/deliveries`).query({ status: 'FAILED' }).set(bearer(ADMIN)).expect(200);
    expect(res.body.items.map((d: { id: string }) => d.id)).toEqual([refused.id]);
  });

  test('when the mail server is down then messages wait and are retried, and once it is back two senders deliver each exactly once', async () => {
    const sfx = uniqueSuffix();
    const addresses = [`a-${sfx}@mail.test`, `b-${sfx}@mail.test`];
    const f = await fixture('none', addresses.map((email) => ({ email })));
    await mailpit.stop();
    const ids: string[] = [];
    try {
      for (let i = 0; i < 15; i++) ids.push(await enqueue(f));
      const sender = createMailSender(senderOptions());
      await waitFor(
        async () => (await sender.round(), deliveriesOf(ids)),
        (rows) => rows.length === 30 && rows.every((r) => r.attempts >= 2),
        'two failed attempts of every delivery',
        60_000,
        50,
      );
      sender.close();
      const waiting = await deliveriesOf(ids);
      expect(waiting.every((r) => r.status === 'PENDING' && r.sentAt === null && /ECONNREFUSED|ESOCKET|ECONNECTION/.test(r.lastError ?? ''))).toBe(true);
    } finally {
      await mailpit.start();
    }

    // Two senders at once, as two workers would: leases keep them off each other's rows.
    await Promise.all([drainUntil(allSettled(ids, 30)), drainUntil(allSettled(ids, 30))]);

    expect((await deliveriesOf(ids)).every((r) => r.status === 'SENT')).toBe(true);
    for (const address of addresses) {
      const arrived = await arrivedFor(address);
      expect(arrived).toHaveLength(15);
      expect(new Set(arrived.map((m) => m.MessageID)).size).toBe(15);
    }
  });

  test('when a sender restarts after expanding but before sending then nothing is sent twice', async () => {
    const address = `restart-${uniqueSuffix()}@mail.test`;
    const f = await fixture('none', [{ email: address }]);
    const ids = [await enqueue(f), await enqueue(f), await enqueue(f)];
    // The first sender dies after expanding (and again on a second expansion: idempotent).
    while ((await expandOutbox(db, hours, TUESDAY_10)) > 0);
    await db.outboxMessage.updateMany({ where: { id: { in: ids } }, data: { mailExpandedAt: null } });
    while ((await expandOutbox(db, hours, TUESDAY_10)) > 0);
    expect(await deliveriesOf(ids)).toHaveLength(3);

    await drainUntil(allSettled(ids, 3));
    await drainUntil(async () => true); // a restarted sender finds nothing left

    expect(await arrivedFor(address)).toHaveLength(3);
  });

  test('when a rung fires on Saturday night on the working-days calendar then its e-mail is due Monday 07:30, and the timeline shows when it fired and was sent', async () => {
    const address = `weekend-${uniqueSuffix()}@mail.test`;
    const f = await fixture('vn-working-days', [{ email: address }]);
    const saturdayNight = new Date('2026-11-28T15:00:00Z'); // 22:00 in Vietnam
    const assignmentId = `${f.directiveId}/${f.unit}`;
    const eventId = `${assignmentId}#7`;
    await db.timelineEvent.create({
      data: { id: eventId, directiveId: f.directiveId, assignmentId, unitCode: f.unit, type: 'ESCALATED', at: saturdayNight, data: {} },
    });
    const id = await enqueue(f, { id: `${eventId}/0`, at: saturdayNight, kind: 'escalation_remind' });

    await drainUntil(allSettled([id], 1), { clock: () => saturdayNight });

    const [row] = await deliveriesOf([id]);
    expect(row!.firedAt.toISOString()).toBe('2026-11-28T15:00:00.000Z');
    expect(row!.notBefore.toISOString()).toBe('2026-11-30T00:30:00.000Z'); // Monday 07:30
    expect(row!.status).toBe('SENT'); // that Monday is past: it went out at once
    const { timeline } = await assignmentHistory(db, assignmentId);
    expect(timeline).toEqual([
      expect.objectContaining({
        type: 'ESCALATED',
        at: saturdayNight,
        deliveries: [expect.objectContaining({ email: address, status: 'SENT', notBefore: row!.notBefore, sentAt: row!.sentAt })],
      }),
    ]);
  });

  test('when a message fires outside office hours in the future then it is not sent before its office hours', async () => {
    const address = `later-${uniqueSuffix()}@mail.test`;
    const f = await fixture('vn-working-days', [{ email: address }]);
    // 22:00 in Vietnam, a week or more from now: whatever day the test runs, still ahead.
    const fired = new Date(Date.now() + 8 * 86_400_000);
    fired.setUTCHours(15, 0, 0, 0);
    const id = await enqueue(f, { at: fired });

    const sender = createMailSender(senderOptions({ clock: () => new Date() }));
    await sender.round();
    await sender.round();
    sender.close();

    const [row] = await deliveriesOf([id]);
    expect(row).toMatchObject({ status: 'PENDING', attempts: 0 });
    const local = new Date(row!.notBefore.getTime() + 7 * 3_600_000);
    expect(local.toISOString().slice(11, 16)).toBe('07:30');
    expect(isWorkingDay(local.toISOString().slice(0, 10))).toBe(true);
    expect(row!.notBefore.getTime()).toBeGreaterThan(fired.getTime());
    expect(row!.notBefore.getTime() - fired.getTime()).toBeLessThan(12 * 86_400_000);
    expect(await arrivedFor(address)).toEqual([]);
  });
});
