/**
 * `npm run bench:dashboard`: first paint of the dashboard on a national directive — the
 * 2025 tree (34 provinces, 3,321 communes), one directive reaching all 3,355 units — in
 * Debian's Chromium, from navigation to the frame after the directive's counts, levels and
 * province map are rendered with data (the page's `directive-painted` mark). Each run is
 * a fresh browser context (cold HTTP cache). Also: the province drill-down with the most
 * communes, and the API reads one live refresh makes.
 *
 * The read model is seeded directly (no Temporal needed: the dashboard never asks it).
 * Runs on its own embedded PostgreSQL in a temporary directory (or DATABASE_URL).
 * Options: --runs N (default 9).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { createApp } from '../api/app';
import { createDb, type Db } from '../read-model/db';
import { upsertUnits } from '../read-model/units';
import { national2025Tree } from '../domain/units/national-2025-tree';
import { loadConfig } from '../runtime/config';
import { setLogLevel } from '../runtime/log';
import { applyMigrations } from '../stack/migrate';
import { startEmbeddedPostgres } from '../stack/postgres';
import { buildWeb } from '../stack/web-build';
import { launchChromium } from '../stack/chromium';

const say = (line: string) => process.stderr.write(`[bench:dashboard] ${line}\n`);
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 9);

/** A deterministic pseudo-random sequence (mulberry32), so every run seeds the same cascade. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One directive from VN to every province and commune, in a realistic mix of stages. */
async function seed(db: Db, id: string): Promise<number> {
  const units = national2025Tree();
  await upsertUnits(db, units);
  const now = Date.now();
  const issuedAt = new Date(now - 10 * 86_400_000);
  await db.directive.create({
    data: {
      id,
      number: `${id}/TTg`,
      kind: 'Chỉ thị',
      title: 'Triển khai Kết luận 70-KL/TW trên toàn quốc',
      issuerCode: 'VN',
      issuedAt,
      rootId: id,
      status: 'ACTIVE',
      recipients: [],
      basedOn: ['70-KL/TW'],
      policy: {
        ackWithin: 'P1D',
        concretizeWithin: 'P5D',
        escalation: [
          { after: 'PT0S', action: 'remind' },
          { after: 'P2D', action: 'notify_parent' },
          { after: 'P5D', action: 'escalate_to_issuer' },
        ],
        calendar: 'none',
      },
    },
  });
  const rnd = random(70);
  const provinces = units.filter((u) => u.parentCode === 'VN');
  const provinceIndex = new Map(provinces.map((p, i) => [p.code, i]));
  const assignments: Array<Record<string, unknown>> = [];
  const events: Array<Record<string, unknown>> = [];
  const escalations: Array<Record<string, unknown>> = [];
  const docs: Array<Record<string, unknown>> = [];
  const obligations: Array<Record<string, unknown>> = [];
  for (const u of units) {
    if (u.code === 'VN') continue;
    const isProvince = u.parentCode === 'VN';
    const aid = `${id}/${u.code}`;
    const pIdx = provinceIndex.get(isProvince ? u.code : u.parentCode!) ?? 0;
    const lateness = (pIdx % 7) / 12; // some provinces far more overdue than others
    let stage: string;
    let overdue = false;
    if (isProvince) {
      stage = 'FORWARDED';
      docs.push({
        id: `${id}~${u.code}`,
        number: `KH-${u.code}`,
        kind: 'Kế hoạch',
        title: `Kế hoạch thực hiện — ${u.name}`,
        issuerCode: u.code,
        issuedAt: new Date(now - 8 * 86_400_000),
        rootId: id,
        parentId: id,
        status: 'IMPLEMENTING',
        recipients: [],
        basedOn: [`${id}/TTg`],
      });
    } else {
      const r = rnd();
      stage =
        r < 0.45
          ? 'COMPLETED'
          : r < 0.55
            ? 'REPORTED'
            : r < 0.7
              ? 'ACKNOWLEDGED'
              : r < 0.995
                ? 'DELIVERED'
                : 'FAILED';
      overdue = (stage === 'DELIVERED' || stage === 'ACKNOWLEDGED') && rnd() < 0.3 + lateness;
    }
    const deadline = new Date(now + (overdue ? -1 : 1) * (1 + Math.floor(rnd() * 72)) * 3_600_000);
    const rung = overdue ? 1 + Math.floor(rnd() * 3) : 0;
    assignments.push({
      id: aid,
      directiveId: id,
      unitCode: u.code,
      level: u.level,
      depth: isProvince ? 1 : 2,
      parentAssignmentId: isProvince ? null : `${id}/${u.parentCode}`,
      parentUnitCode: u.parentCode,
      receivedDirectiveId: isProvince ? id : `${id}~${u.parentCode}`,
      implementingDirectiveId: isProvince ? `${id}~${u.code}` : null,
      stage,
      mustConcretize: isProvince,
      isLeaf: !isProvince,
      overdue,
      escalationRung: rung,
      waitingFor:
        stage === 'COMPLETED' || stage === 'FAILED'
          ? null
          : stage === 'DELIVERED'
            ? 'ack@1'
            : 'report#1',
      nextDeadline: stage === 'COMPLETED' || stage === 'FAILED' ? null : deadline,
      deliveredAt: new Date(now - 9 * 86_400_000),
      ...(stage === 'FAILED'
        ? { failedAt: new Date(now - 86_400_000), failureReason: 'bench: incident' }
        : {}),
    });
    const late = overdue || (stage === 'COMPLETED' && rnd() < lateness);
    // The acknowledgement every unit owes, with its official status (progress.official).
    const ackDeadline = new Date(now - 8 * 86_400_000);
    obligations.push({
      id: `${aid}/ack@1`,
      directiveId: id,
      ownerId: aid,
      unitCode: u.code,
      level: u.level,
      provinceCode: isProvince ? u.code : u.parentCode,
      kind: 'ack',
      key: 'ack@1',
      deadline: stage === 'DELIVERED' ? deadline : ackDeadline,
      doneAt:
        stage === 'DELIVERED' || stage === 'FAILED'
          ? null
          : new Date(ackDeadline.getTime() + (late ? 1 : -1) * 3_600_000),
    });
    if (late) {
      events.push({
        id: `${aid}#9`,
        directiveId: id,
        assignmentId: aid,
        unitCode: u.code,
        type: 'OVERDUE',
        at: deadline,
        data: { obligation: 'ack@1' },
      });
      for (let k = 1; k <= Math.max(rung, 1); k++) {
        escalations.push({
          id: `${aid}/ack@1/${deadline.toISOString()}/${k}`,
          directiveId: id,
          assignmentId: aid,
          unitCode: u.code,
          obligation: 'ack@1',
          rung: k,
          action: ['remind', 'notify_parent', 'escalate_to_issuer'][k - 1]!,
          targetUnitCode: k === 1 ? u.code : k === 2 ? u.parentCode : 'VN',
          deadline,
          firedAt: new Date(deadline.getTime() + (k - 1) * 3_600_000),
          resolvedAt: overdue ? null : new Date(now - 3_600_000),
        });
      }
    }
  }
  await db.directive.createMany({ data: docs as never });
  for (let i = 0; i < assignments.length; i += 2000)
    await db.assignment.createMany({ data: assignments.slice(i, i + 2000) as never });
  for (let i = 0; i < events.length; i += 2000)
    await db.timelineEvent.createMany({ data: events.slice(i, i + 2000) as never });
  for (let i = 0; i < escalations.length; i += 2000)
    await db.escalation.createMany({ data: escalations.slice(i, i + 2000) as never });
  for (let i = 0; i < obligations.length; i += 2000)
    await db.obligation.createMany({ data: obligations.slice(i, i + 2000) as never });
  await db.$executeRawUnsafe('ANALYZE');
  return assignments.length;
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return {
    median: s[Math.floor(s.length / 2)]!,
    p90: s[Math.min(s.length - 1, Math.floor(s.length * 0.9))]!,
    min: s[0]!,
    max: s[s.length - 1]!,
  };
};

async function main(): Promise<void> {
  setLogLevel('warn');
  if (buildWeb()) say('dashboard built');
  let url = process.env.DATABASE_URL;
  let stopDb = async () => undefined as unknown;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-dashboard-'));
  fs.chmodSync(dir, 0o777);
  if (!url) {
    const pg = await startEmbeddedPostgres({
      dataDir: dir,
      port: 20000 + (process.pid % 20000),
      database: 'bench',
    });
    url = pg.url;
    stopDb = pg.stop;
  }
  const db = createDb(url);
  const token = `bench-admin-${Date.now()}-token`;
  const app = createApp({
    db,
    client: new Client(),
    config: loadConfig({ CASCADE_ADMIN_TOKEN: token }),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  try {
    await applyMigrations(url);
    const id = `bench-dash-${Date.now()}`;
    say('seeding the 2025 tree and a directive reaching its 3,355 units…');
    const total = await seed(db, id);
    if (total !== 3355) throw new Error(`expected 3,355 assignments, got ${total}`);
    const biggest = (
      await db.unit.groupBy({
        by: ['parentCode'],
        where: { level: 'commune' },
        _count: true,
        orderBy: { _count: { parentCode: 'desc' } },
        take: 1,
      })
    )[0]!;

    const measure = async (hash: string, expectCells: number) => {
      const painted: number[] = [];
      const fcp: number[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
        await context.addInitScript(
          `sessionStorage.setItem('cascade.token', ${JSON.stringify(token)})`,
        );
        const page = await context.newPage();
        await page.goto(`${base}/dashboard/${hash}`);
        await page.waitForSelector('body[data-directive-painted]', { timeout: 30_000 });
        const m = (await page.evaluate(`(() => {
          const mark = performance.getEntriesByName('directive-painted')[0];
          const paint = performance.getEntriesByName('first-contentful-paint')[0];
          return { painted: mark.startTime, fcp: paint ? paint.startTime : null,
                   cells: document.querySelectorAll('[data-testid=cascade-map] .cell').length };
        })()`)) as { painted: number; fcp: number | null; cells: number };
        if (m.cells !== expectCells)
          throw new Error(`expected ${expectCells} map cells, saw ${m.cells}`);
        await context.close();
        if (i === 0) continue; // the first run warms the server (JIT, query plans), not the browser
        painted.push(m.painted);
        if (m.fcp !== null) fcp.push(m.fcp);
      }
      return { painted: stats(painted), fcp: fcp.length ? stats(fcp) : null };
    };

    const api = async (pathname: string) => {
      const ms: number[] = [];
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        const res = await fetch(`${base}/api/v1${pathname}`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${pathname}: ${res.status}`);
        ms.push(performance.now() - t);
      }
      return stats(ms.slice(1));
    };

    say(`measuring (${RUNS} cold runs each)…`);
    const overview = await measure(`#/d/${id}`, 34);
    const drill = await measure(`#/d/${id}/map/${biggest.parentCode}`, biggest._count);
    const reads = {
      directive: await api(`/directives/${id}`),
      map: await api(`/dashboard/directives/${id}/map`),
      overdue: await api(`/directives/${id}/assignments?overdue=true&limit=50`),
      drill: await api(`/dashboard/directives/${id}/map?parent=${biggest.parentCode}`),
    };
    const line = (label: string, s: ReturnType<typeof stats>) =>
      `| ${label} | ${s.median.toFixed(0)} | ${s.p90.toFixed(0)} | ${s.min.toFixed(0)} | ${s.max.toFixed(0)} |`;
    console.log(
      `\nDashboard first paint, directive reaching 3,355 units (2025 tree), ${RUNS} cold runs each, ${os.cpus().length} cores (load average ${os.loadavg()[0]!.toFixed(1)}), node ${process.version}, Chromium ${await browser.version()}\n`,
    );
    console.log('| measure | median ms | p90 ms | min ms | max ms |\n|---|---|---|---|---|');
    console.log(
      line(
        'directive view: navigation → counts, levels and 34-province map painted',
        overview.painted,
      ),
    );
    if (overview.fcp) console.log(line('directive view: first contentful paint', overview.fcp));
    console.log(
      line(`drill-down: ${biggest.parentCode} (${biggest._count} communes) painted`, drill.painted),
    );
    console.log(line('API GET /directives/{id} (progress), one refresh', reads.directive));
    console.log(line('API GET /dashboard/directives/{id}/map, one refresh', reads.map));
    console.log(line('API GET /directives/{id}/assignments?overdue=true&limit=50', reads.overdue));
    console.log(
      line(`API GET /dashboard/directives/{id}/map?parent=${biggest.parentCode}`, reads.drill),
    );
    console.log(
      `\nRESULT first_paint_median_ms=${overview.painted.median.toFixed(0)} first_paint_p90_ms=${overview.painted.p90.toFixed(0)} target_ms=1000 ${overview.painted.p90 < 1000 ? 'MET' : 'NOT MET'}`,
    );
  } finally {
    await browser.close();
    await new Promise((r) => server.close(r));
    await db.$disconnect();
    await stopDb();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
