/**
 * `npm run bench:mail`: e-mails per second through a real SMTP server (Mailpit), and the
 * outbox's oldest pending age while a burst drains. A burst of MESSAGES outbox messages (one
 * reminder per unit, each unit with CONTACTS contacts) is written at once into a fresh
 * embedded PostgreSQL, then SENDERS mail senders (as many workers) expand and send it with
 * the worker's defaults (batches of 50, 8 SMTP connections each). At the end every e-mail is
 * checked in Mailpit: each arrived, none twice.
 *
 *   npm run bench:mail                      # 1,000 messages × 2 contacts = 2,000 e-mails, 1 sender
 *   npm run bench:mail -- --senders 2       # the same burst, two senders
 *   npm run bench:mail -- --messages 500 --contacts 4
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createDb, type Db } from '../read-model/db';
import { setLogLevel } from '../runtime/log';
import { applyMigrations } from '../stack/migrate';
import { startEmbeddedPostgres } from '../stack/postgres';
import { ensureMailpit, startMailpit } from '../stack/mailpit';
import { freePort } from '../stack/ports';
import { sleep } from '../stack/wait';
import { parseOfficeHours } from '../domain/notifications/working-hours';
import { startMailSender } from '../worker/mail-sender';

const say = (line: string) => process.stderr.write(`[bench:mail] ${line}\n`);

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    contacts: { type: 'string', default: '2' },
    senders: { type: 'string', default: '1' },
  },
});
const MESSAGES = Number(args.messages);
const CONTACTS = Number(args.contacts);
const SENDERS = Number(args.senders);

/** One root directive on plain time (no office hours), MESSAGES units with CONTACTS contacts each, one reminder per unit. */
async function seed(db: Db): Promise<void> {
  const units = Array.from({ length: MESSAGES }, (_, i) => `U${String(i).padStart(5, '0')}`);
  await db.unit.create({ data: { code: 'ROOT', name: 'Trung ương', level: 'central', path: '/ROOT/', depth: 0 } });
  await db.unit.createMany({
    data: units.map((code) => ({ code, name: `Xã ${code}`, level: 'commune', parentCode: 'ROOT', path: `/ROOT/${code}/`, depth: 1 })),
  });
  await db.directive.create({
    data: {
      id: 'bench', number: '523/TTCS-TT', kind: 'Công văn', title: 'Tuyên truyền Kết luận số 70-KL/TW', issuerCode: 'ROOT',
      issuedAt: new Date(), rootId: 'bench', recipients: [], basedOn: [], status: 'ACTIVE', policy: { calendar: 'none' },
    },
  });
  await db.contact.createMany({
    data: units.flatMap((code) =>
      Array.from({ length: CONTACTS }, (_, c) => ({ id: `${code}-c${c}`, unitCode: code, name: `Văn thư ${c}`, email: `c${c}.${code.toLowerCase()}@bench.test` })),
    ),
  });
  const deadline = new Date(Date.now() + 86_400_000).toISOString();
  await db.outboxMessage.createMany({
    data: units.map((code) => {
      const id = `bench/${code}#1/0`;
      return {
        id, directiveId: 'bench', kind: 'reminder_due', recipientUnit: code,
        payload: { id, kind: 'reminder_due', at: new Date().toISOString(), directiveId: 'bench', unitCode: code, obligation: 'ack@1', deadline, rung: 1 },
      };
    }),
  });
}

/** Seconds since the oldest outbox message not yet sent to everyone (null: none left). */
async function oldestPendingAgeS(db: Db): Promise<number | null> {
  const [row] = await db.$queryRaw<Array<{ age: number | null }>>`
    SELECT EXTRACT(EPOCH FROM (now() AT TIME ZONE 'UTC') - min(t))::float8 AS age FROM (
      SELECT min("createdAt") AS t FROM "OutboxMessage" WHERE "mailExpandedAt" IS NULL
      UNION ALL
      SELECT min(m."createdAt") FROM "EmailDelivery" d JOIN "OutboxMessage" m ON m.id = d."messageId" WHERE d.status = 'PENDING'
    ) AS oldest`;
  return row?.age ?? null;
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-mail-'));
  fs.chmodSync(dir, 0o777);
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'bench' });
  const mailpit = await startMailpit({
    binary: await ensureMailpit(say),
    smtpPort: await freePort(),
    httpPort: await freePort(),
    databaseFile: path.join(dir, 'mailpit.db'),
    logFile: path.join(dir, 'mailpit.log'),
  });
  const db = createDb(pg.url);
  try {
    await applyMigrations(pg.url);
    await seed(db);
    const emails = MESSAGES * CONTACTS;
    say(`${MESSAGES} outbox messages × ${CONTACTS} contacts = ${emails} e-mails, ${SENDERS} sender(s)`);
    const started = Date.now();
    const senders = Array.from({ length: SENDERS }, () =>
      startMailSender({ db, smtpUrl: mailpit.smtpUrl, from: 'Bench <no-reply@bench.test>', dashboardUrl: 'http://localhost:3000', officeHours: parseOfficeHours('07:30-17:00'), pollMs: 200 }),
    );
    let peakAge = 0;
    for (;;) {
      const age = await oldestPendingAgeS(db);
      if (age === null) break;
      peakAge = Math.max(peakAge, age);
      await sleep(250);
    }
    const seconds = (Date.now() - started) / 1000;
    await Promise.all(senders.map((s) => s.stop()));
    const sent = await db.emailDelivery.count({ where: { status: 'SENT' } });
    const res = await fetch(`${mailpit.httpUrl}/api/v1/messages?limit=${emails + 10}`);
    const arrived = ((await res.json()) as { messages: Array<{ MessageID: string }> }).messages;
    const unique = new Set(arrived.map((m) => m.MessageID)).size;
    const result = {
      messages: MESSAGES,
      emails,
      senders: SENDERS,
      seconds: Number(seconds.toFixed(1)),
      emailsPerSecond: Number((emails / seconds).toFixed(1)),
      peakOldestPendingAgeS: Number(peakAge.toFixed(1)),
      sent,
      arrivedInMailpit: arrived.length,
      distinctMessageIds: unique,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (sent !== emails || arrived.length !== emails || unique !== emails) throw new Error('not every e-mail arrived exactly once');
  } finally {
    await db.$disconnect();
    await mailpit.stop();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  say(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
