/**
 * `npm run bench:digest`: the morning digest of one province with 126 communes, built and
 * sent for real. Seeds the province, its communes (two digest contacts each) and open
 * obligations in three directives (plus 20,000 obligations of units without a digest
 * contact, so the query does not run on an empty table), then times building the digests
 * (read-model/digest.ts, one statement) and sending them through a real SMTP server
 * (Mailpit) with the worker's mail sender, until every e-mail is sent.
 * Runs on its own embedded PostgreSQL and Mailpit in a temporary directory.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../stack/postgres';
import { applyMigrations } from '../stack/migrate';
import { ensureMailpit, startMailpit } from '../stack/mailpit';
import { freePort } from '../stack/ports';
import { createDb, type Db } from '../read-model/db';
import { enqueueDigests } from '../read-model/digest';
import { digestWindow } from '../domain/digest-window';
import { parseOfficeHours } from '../domain/notifications/working-hours';
import { createMailSender } from '../worker/mail-sender';
import { setLogLevel } from '../runtime/log';

const COMMUNES = 126;
/** Tuesday 24 November 2026, 07:30 in Vietnam (a working day). */
const MORNING = new Date('2026-11-24T00:30:00Z');
const DAY = 86_400_000;

async function seed(db: Db): Promise<void> {
  const units = [
    { code: 'P', name: 'Tỉnh P', level: 'province', parentCode: null, path: '/P/', depth: 0 },
    ...Array.from({ length: COMMUNES }, (_, i) => ({ code: `P-${i}`, name: `Xã ${i}`, level: 'commune', parentCode: 'P', path: `/P/P-${i}/`, depth: 1 })),
  ];
  await db.unit.createMany({ data: units });
  await db.contact.createMany({
    data: units.flatMap((u) => [
      { id: `${u.code}-vt`, unitCode: u.code, name: `Văn thư ${u.name}`, email: `vt.${u.code}@bench.test`, delivery: 'digest' },
      { id: `${u.code}-ld`, unitCode: u.code, name: `Lãnh đạo ${u.name}`, email: `ld.${u.code}@bench.test`, delivery: 'both' },
    ]),
  });
  const directives = ['145/KH-UBND', '523/TTCS-TT', '70/CT-UBND'];
  for (const number of directives) {
    await db.directive.create({
      data: { id: number, number, kind: 'Kế hoạch', title: `Văn bản ${number}`, issuerCode: 'P', issuedAt: new Date(MORNING.getTime() - 30 * DAY), rootId: number, status: 'ACTIVE' },
    });
  }
  const deadlines = [-DAY, 3 * 3600_000, 2 * DAY, 3 * DAY, 20 * DAY]; // overdue, today, soon, soon, later
  const rows = units.flatMap((u) =>
    directives.flatMap((d, j) =>
      deadlines.map((offset, k) => ({
        id: `${d}/${u.code}/o${k}`, directiveId: d, ownerId: `${d}/${u.code}`, unitCode: u.code, level: u.level,
        kind: 'report', key: `report#${k + 1}`, deadline: new Date(MORNING.getTime() + offset + j * 60_000),
      })),
    ),
  );
  const noise = Array.from({ length: 20_000 }, (_, i) => ({
    id: `noise/${i}`, directiveId: directives[i % 3]!, ownerId: `noise/${i % 3355}`, unitCode: `X-${i % 3355}`, level: 'commune',
    kind: 'ack', key: `ack@${i}`, deadline: new Date(MORNING.getTime() + ((i % 10) - 3) * DAY),
  }));
  for (const batch of [rows, ...chunks(noise, 5000)]) await db.obligation.createMany({ data: batch });
  await db.$executeRawUnsafe('ANALYZE "Obligation"');
}

function chunks<T>(xs: T[], n: number): T[][] {
  return Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));
}

async function main(): Promise<void> {
  setLogLevel('error');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-digest-'));
  fs.chmodSync(dir, 0o777);
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'bench' });
  const mailpit = await startMailpit({
    binary: await ensureMailpit(),
    smtpPort: await freePort(),
    httpPort: await freePort(),
    databaseFile: null,
    logFile: path.join(dir, 'mailpit.log'),
  });
  const db = createDb(pg.url);
  try {
    await applyMigrations(pg.url);
    process.stderr.write(`seeding a province with ${COMMUNES} communes…\n`);
    await seed(db);
    const buildStart = performance.now();
    const built = await enqueueDigests(db, digestWindow(MORNING, 3));
    const buildMs = performance.now() - buildStart;
    const sender = createMailSender({
      db, smtpUrl: mailpit.smtpUrl, from: 'Theo dõi <no-reply@bench.test>', dashboardUrl: 'http://localhost:3000',
      officeHours: parseOfficeHours('07:30-17:00'), pollMs: 10, clock: () => MORNING,
    });
    const sendStart = performance.now();
    let sent = 0;
    const expected = (COMMUNES + 1) * 2;
    while (sent < expected) {
      await sender.round();
      sent = await db.emailDelivery.count({ where: { kind: 'digest', status: 'SENT' } });
      if (performance.now() - sendStart > 10 * 60_000) throw new Error(`only ${sent} of ${expected} digests sent in 10 minutes`);
    }
    const sendMs = performance.now() - sendStart;
    sender.close();
    const arrived = ((await (await fetch(`${mailpit.httpUrl}/api/v1/messages?limit=1`)).json()) as { total: number }).total;
    console.log(`\nMorning digest of one province with ${COMMUNES} communes (${os.cpus().length} cores, node ${process.version})\n`);
    console.log('| step | units | e-mails | time | rate |\n|---|---|---|---|---|');
    console.log(`| build (one statement) | ${built.messages} | | ${buildMs.toFixed(0)} ms | |`);
    console.log(`| send through Mailpit | | ${sent} sent, ${arrived} arrived | ${(sendMs / 1000).toFixed(1)} s | ${(sent / (sendMs / 1000)).toFixed(1)} e-mails/s |`);
  } finally {
    await db.$disconnect();
    await mailpit.stop();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
