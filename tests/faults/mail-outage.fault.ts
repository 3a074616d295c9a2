/**
 * Case 6: the SMTP server (Mailpit) is stopped for two minutes in the middle of a burst of
 * reminders and escalations over the whole cascade: every unit has a contact (one unit in
 * seven two), one leaf in five holds back its acknowledgement, so it is reminded a minute
 * before its deadline, reminded again at the deadline and its unit above told a minute
 * later. Once Mailpit is back, every message must reach every contact exactly once: each
 * delivery sent, each Message-ID in Mailpit once, none missing.
 */
import { relayPolicy } from './harness/cascade';
import { runRelayScenario } from './harness/scenario';
import { slowCase } from './harness/slow-case';
import type { FaultStack } from './harness/stack';
import type { CaseRecorder } from './harness/results';
import { mailMessageId } from '../../worker/mail-sender';
import { sleep, waitFor } from '../../stack/wait';

const OUTAGE_MS = 120_000;
const FROM = 'Faults <no-reply@faults.test>';

slowCase(
  {
    name: 'mail-outage',
    summary: 'SMTP server (Mailpit) stopped for 2 min during a burst of reminders and escalations',
    title:
      'when the SMTP server is down for two minutes while reminders and escalations fire then every message reaches every contact exactly once after it is back',
    outbox: false,
    mail: true,
  },
  async (stack, tree, rec) => {
    await stack.db.contact.createMany({
      data: tree.units.flatMap((u, i) => [
        { id: `fc-${u.code}`, unitCode: u.code, name: `Văn thư ${u.code}`, email: `u${u.code}@faults.test` },
        ...(i % 7 === 0 ? [{ id: `fc-${u.code}-2`, unitCode: u.code, name: `Lãnh đạo ${u.code}`, email: `l${u.code}@faults.test`, delivery: 'both' }] : []),
      ]),
      skipDuplicates: true,
    });
    let directive = '';
    let oldestPendingMaxMs = 0;
    const problems = await runRelayScenario(stack, tree, rec, {
      label: 'MAIL',
      policy: relayPolicy({
        ackWithin: 'PT3M',
        escalation: [
          { before: 'PT1M', action: 'remind' },
          { after: 'PT0S', action: 'remind' },
          { after: 'PT1M', action: 'notify_parent' },
        ],
      }),
      holdBack: (_code, i, leaf) => leaf && i % 5 === 0,
      inject: async ({ stack, directiveId, rec }) => {
        directive = directiveId;
        const sampler = sampleOldestPending(stack, directiveId, (ms) => (oldestPendingMaxMs = Math.max(oldestPendingMaxMs, ms)));
        try {
          await waitFor(
            () => stack.db.emailDelivery.count({ where: { directiveId, status: 'SENT' } }),
            (n) => n > 0,
            'the first e-mail',
            15 * 60_000,
            500,
          );
          await stack.mailpit!.stop();
          const down = Date.now();
          await sleep(OUTAGE_MS);
          const waiting = await stack.db.emailDelivery.count({ where: { directiveId, status: 'PENDING' } });
          await stack.mailpit!.start();
          rec.fault('SMTP server stopped', `Mailpit down; ${waiting} deliveries waiting when it came back`, Date.now() - down);
          rec.mark('smtpBack');
          const held = rec.figures.heldBack ?? 0;
          await waitFor(
            () => stack.db.escalation.count({ where: { directiveId } }),
            (n) => n >= 2 * held,
            `both rungs for the ${held} held-back units`,
            10 * 60_000,
            1000,
          );
          await drained(stack, directiveId);
          rec.duration('mailDrained', 'smtpBack');
        } finally {
          sampler.stop();
        }
      },
    });
    rec.figures.mailOldestPendingMaxS = Math.round(oldestPendingMaxMs / 1000);
    if (!directive) return problems;
    await drained(stack, directive).catch((err: Error) => problems.push(err.message));
    return [...problems, ...(await verifyMail(stack, directive, rec))];
  },
);

/** Until no delivery of the directive waits. */
function drained(stack: FaultStack, directiveId: string): Promise<number> {
  return waitFor(
    async () => {
      const [unexpanded, pending] = await Promise.all([
        stack.db.outboxMessage.count({ where: { directiveId, mailExpandedAt: null } }),
        stack.db.emailDelivery.count({ where: { directiveId, status: 'PENDING' } }),
      ]);
      return unexpanded + pending;
    },
    (n) => n === 0,
    'every e-mail delivery settled',
    10 * 60_000,
    1000,
  );
}

/** Samples, once a second, how long the oldest undelivered e-mail of the directive has waited. */
function sampleOldestPending(stack: FaultStack, directiveId: string, seen: (ms: number) => void): { stop(): void } {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const oldest = await stack.db.emailDelivery
        .findFirst({ where: { directiveId, status: 'PENDING' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true } })
        .catch(() => null);
      if (oldest) seen(Date.now() - oldest.createdAt.getTime());
      await sleep(1000);
    }
  })();
  return { stop: () => void (stopped = true) };
}

/** Every outbox message reached every contact of its unit once: rows, statuses, Message-IDs in Mailpit. */
async function verifyMail(stack: FaultStack, directiveId: string, rec: CaseRecorder): Promise<string[]> {
  const problems: string[] = [];
  const [messages, deliveries, contacts] = await Promise.all([
    stack.db.outboxMessage.findMany({ where: { directiveId }, select: { id: true, recipientUnit: true } }),
    stack.db.emailDelivery.findMany({ where: { directiveId }, select: { messageId: true, contactId: true, status: true, lastError: true } }),
    stack.db.contact.findMany({ select: { id: true, unitCode: true } }),
  ]);
  const contactsOf = new Map<string, string[]>();
  for (const c of contacts) contactsOf.set(c.unitCode, [...(contactsOf.get(c.unitCode) ?? []), c.id]);
  const expected = new Set(messages.flatMap((m) => (contactsOf.get(m.recipientUnit ?? '') ?? []).map((c) => `${m.id}|${c}`)));
  const rows = new Set(deliveries.map((d) => `${d.messageId}|${d.contactId}`));
  const missingRows = [...expected].filter((k) => !rows.has(k));
  const notSent = deliveries.filter((d) => d.status !== 'SENT');
  const bare = (id: string) => id.replace(/^<|>$/g, '');
  const arrived = new Map<string, number>();
  for (const m of await stack.mailpit!.messages()) arrived.set(bare(m.MessageID), (arrived.get(bare(m.MessageID)) ?? 0) + 1);
  const wanted = deliveries.map((d) => bare(mailMessageId(d.messageId, d.contactId!, FROM)));
  const lost = wanted.filter((id) => !arrived.has(id));
  const twice = wanted.filter((id) => (arrived.get(id) ?? 0) > 1);
  Object.assign(rec.figures, {
    mailMessages: messages.length,
    mailDeliveriesExpected: expected.size,
    mailDeliveries: deliveries.length,
    mailSent: deliveries.length - notSent.length,
    mailArrived: [...arrived.values()].reduce((a, b) => a + b, 0),
    mailLost: lost.length,
    mailTwice: twice.length,
  });
  if (messages.length === 0) problems.push('no message was sent: the burst did not happen');
  if (missingRows.length) problems.push(`${missingRows.length} (message, contact) pairs without a delivery, e.g. ${missingRows.slice(0, 3).join('; ')}`);
  if (notSent.length) problems.push(`${notSent.length} deliveries not sent, e.g. ${JSON.stringify(notSent.slice(0, 3))}`);
  if (lost.length) problems.push(`${lost.length} e-mails never arrived in Mailpit, e.g. ${lost.slice(0, 3).join('; ')}`);
  if (twice.length) problems.push(`${twice.length} e-mails arrived more than once, e.g. ${twice.slice(0, 3).join('; ')}`);
  return problems;
}
