/**
 * `npm run bench:progress`: how fast a directive's progress (totals by stage, by level,
 * overdue) answers over a national cascade of 11,368 assignments, against a baseline
 * measured in the same run: loading every row and counting in JavaScript.
 * Runs on its own embedded PostgreSQL in a temporary directory (or DATABASE_URL).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../stack/postgres';
import { applyMigrations } from '../stack/migrate';
import { createDb, type Db } from '../read-model/db';
import { progress } from '../read-model/assignments';

const RUNS = 31;
const levels: Array<[string, number]> = [['central', 1], ['province', 63], ['district', 705], ['commune', 10_599]];
const stages = ['DELIVERED', 'ACKNOWLEDGED', 'FORWARDED', 'REPORTED', 'COMPLETED'];

async function seed(db: Db, id: string): Promise<void> {
  await db.directive.create({
    data: { id, number: id, kind: 'Kết luận', title: 'bench', issuerCode: 'VN', issuedAt: new Date(), rootId: id, status: 'ACTIVE' },
  });
  const rows = levels.flatMap(([level, n]) =>
    Array.from({ length: n }, (_, i) => ({
      id: `${id}/${level}-${i}`, directiveId: id, unitCode: `${level}-${i}`, level, depth: 1,
      receivedDirectiveId: id, stage: stages[i % stages.length]!, overdue: i % 7 === 0,
      mustConcretize: false, isLeaf: level === 'commune', deliveredAt: new Date(),
    })),
  );
  for (let i = 0; i < rows.length; i += 2000) await db.assignment.createMany({ data: rows.slice(i, i + 2000) });
  await db.$executeRawUnsafe('ANALYZE "Assignment"');
}

/** The naive way: every row into the app, counted there. */
async function naiveProgress(db: Db, directiveId: string) {
  const rows = await db.assignment.findMany({ where: { directiveId }, select: { stage: true, level: true, overdue: true } });
  const byStage: Record<string, number> = {};
  const byLevel: Record<string, number> = {};
  let overdue = 0;
  for (const r of rows) {
    byStage[r.stage] = (byStage[r.stage] ?? 0) + 1;
    byLevel[r.level] = (byLevel[r.level] ?? 0) + 1;
    if (r.overdue) overdue++;
  }
  return { total: rows.length, byStage, byLevel, overdue };
}

async function time(label: string, fn: () => Promise<unknown>) {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { label, median: ms[Math.floor(RUNS / 2)]!, p90: ms[Math.floor(RUNS * 0.9)]!, min: ms[0]! };
}

async function main() {
  let url = process.env.DATABASE_URL;
  let stop = async () => undefined as unknown;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-progress-'));
  fs.chmodSync(dir, 0o777);
  if (!url) {
    const pg = await startEmbeddedPostgres({ dataDir: dir, port: 20000 + (process.pid % 20000), database: 'bench' });
    url = pg.url;
    stop = pg.stop;
  }
  const db = createDb(url);
  try {
    await applyMigrations(url);
    const id = `bench-${Date.now()}`;
    process.stderr.write('seeding 11,368 assignments…\n');
    await seed(db, id);
    const check = await progress(db, id);
    if (check.total !== 11_368) throw new Error(`expected 11,368 assignments, got ${check.total}`);
    const results = [await time('progress: one GROUPING SETS aggregate (the API)', () => progress(db, id)),
      await time('baseline: load every row, count in JS', () => naiveProgress(db, id))];
    console.log(`\nDirective progress over 11,368 assignments (${RUNS} runs each, ${os.cpus().length} cores, node ${process.version})\n`);
    console.log('| query | median ms | p90 ms | min ms |\n|---|---|---|---|');
    for (const r of results) console.log(`| ${r.label} | ${r.median.toFixed(1)} | ${r.p90.toFixed(1)} | ${r.min.toFixed(1)} |`);
    await db.assignment.deleteMany({ where: { directiveId: id } });
  } finally {
    await db.$disconnect();
    await stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
