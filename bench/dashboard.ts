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
import { createDb } from '../read-model/db';
import { seedNationalDirective } from './national-seed';
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
    const total = await seedNationalDirective(db, id);
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
