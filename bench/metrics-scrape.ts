/**
 * `npm run bench:metrics [-- --directives N --scrapes K]`: what one scrape of the API's
 * /metrics costs with national cascades open in the read model — N directives (default 1)
 * from VN to the 3,355 units of the 2025 tree, in a realistic mix of stages — counted anew
 * on every scrape (BUSINESS_METRICS_CACHE_MS=0), then from the cache (the default 10 s), then
 * anew without the partial indexes, for comparison. Time per scrape over HTTP, and CPU per
 * scrape in this process (the API) and in PostgreSQL. The read model is seeded directly on an
 * embedded PostgreSQL of its own; no Temporal is needed.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { createApp } from '../api/app';
import { createDb, type Db } from '../read-model/db';
import { loadConfig } from '../runtime/config';
import { setLogLevel } from '../runtime/log';
import { applyMigrations } from '../stack/migrate';
import { freePort } from '../stack/ports';
import { startEmbeddedPostgres } from '../stack/postgres';
import { treeCpuSeconds } from './cascade/measure';
import { seedNationalDirective } from './national-seed';

const say = (line: string) => process.stderr.write(`[bench:metrics] ${line}\n`);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DIRECTIVES = arg('directives', 1);
const SCRAPES = arg('scrapes', 30);

const PARTIAL_INDEXES = ['Assignment_open_stage_level_idx', 'Obligation_open_deadline_idx', 'Escalation_open_rung_idx', 'OutboxMessage_pending_createdAt_idx'];

interface Cost {
  p50Ms: number;
  p90Ms: number;
  apiCpuMs: number;
  postgresCpuMs: number;
  bytes: number;
}

/** `SCRAPES` scrapes of `url` one after another, after two to warm up. */
async function measure(url: string, postgresPid: number | undefined): Promise<Cost> {
  for (let i = 0; i < 2; i++) await (await fetch(url)).text();
  const ms: number[] = [];
  let bytes = 0;
  const cpu0 = process.cpuUsage();
  const pg0 = treeCpuSeconds(postgresPid);
  for (let i = 0; i < SCRAPES; i++) {
    const t0 = process.hrtime.bigint();
    const text = await (await fetch(url)).text();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    bytes = text.length;
  }
  const cpu = process.cpuUsage(cpu0);
  const sorted = ms.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    p50Ms: round(sorted[Math.floor(sorted.length / 2)]!),
    p90Ms: round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]!),
    // This process is the API and the client; the client's share (one fetch) is small.
    apiCpuMs: round((cpu.user + cpu.system) / 1000 / SCRAPES),
    postgresCpuMs: round(((treeCpuSeconds(postgresPid) - pg0) * 1000) / SCRAPES),
    bytes,
  };
}

async function serve(db: Db, cacheMs: number): Promise<{ url: string; close: () => Promise<void> }> {
  const app = createApp({ db, client: new Client(), config: loadConfig({ CASCADE_ADMIN_TOKEN: `bench-admin-${Date.now()}-token`, BUSINESS_METRICS_CACHE_MS: String(cacheMs) }) });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  setLogLevel('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-metrics-'));
  fs.chmodSync(dir, 0o777);
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: 'bench' });
  const postgresPid = Number(fs.readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const db = createDb(pg.url);
  try {
    await applyMigrations(pg.url);
    say(`seeding ${DIRECTIVES} national directive(s) over the 2025 tree…`);
    let assignments = 0;
    for (let k = 0; k < DIRECTIVES; k++) assignments += await seedNationalDirective(db, `bench-metrics-${k}`);
    const open = await db.assignment.count({ where: { stage: { notIn: ['COMPLETED', 'REVOKED'] } } });
    say(`${assignments} assignments (${open} open or failed), ${await db.obligation.count()} obligations, ${await db.escalation.count()} escalation rungs`);

    const results: Record<string, Cost> = {};
    const run = async (label: string, cacheMs: number) => {
      const api = await serve(db, cacheMs);
      results[label] = await measure(api.url, postgresPid);
      await api.close();
      const r = results[label];
      say(`${label}: p50 ${r.p50Ms} ms, p90 ${r.p90Ms} ms; CPU per scrape: API ${r.apiCpuMs} ms, PostgreSQL ${r.postgresCpuMs} ms; ${r.bytes} bytes`);
    };
    await run('counted on every scrape', 0);
    await run('from the 10 s cache', 10_000);
    for (const index of PARTIAL_INDEXES) await db.$executeRawUnsafe(`DROP INDEX "${index}"`);
    await db.$executeRawUnsafe('ANALYZE');
    await run('counted on every scrape, without the partial indexes', 0);
    console.log(`RESULT ${JSON.stringify({ directives: DIRECTIVES, assignments, open, scrapes: SCRAPES, results })}`);
  } finally {
    await db.$disconnect();
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
