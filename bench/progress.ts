/**
 * `npm run bench:progress [-- --tree national-2019]`: how fast a directive's progress
 * (totals by stage, by level, overdue) answers over a national cascade (one assignment per
 * unit of the tree: 3,356 for the 2025 tree, 11,368 for national-2019), against a baseline
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
import { DEFAULT_NATIONAL_TREE, NATIONAL_TREES, isNationalTreeName } from '../domain/units/national';

const RUNS = 31;

/** Units per level of the national tree named by `--tree` (default: the 2025 tree). */
function levelCounts(argv: string[]): Array<[string, number]> {
  const at = argv.indexOf('--tree');
  const tree = at === -1 ? DEFAULT_NATIONAL_TREE : (argv[at + 1] ?? '');
  if (!isNationalTreeName(tree)) throw new Error(`--tree is one of ${Object.keys(NATIONAL_TREES).join(', ')}`);
  const counts = new Map<string, number>();
  for (const u of NATIONAL_TREES[tree].load()) counts.set(u.level, (counts.get(u.level) ?? 0) + 1);
  return [...counts];
}

const levels = levelCounts(process.argv.slice(2));
const TOTAL = levels.reduce((n, [, count]) => n + count, 0);
const TOTAL_TEXT = TOTAL.toLocaleString('en-US');
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
    process.stderr.write(`seeding ${TOTAL_TEXT} assignments…\n`);
    await seed(db, id);
    const check = await progress(db, id);
    if (check.total !== TOTAL) throw new Error(`expected ${TOTAL_TEXT} assignments, got ${check.total}`);
    const results = [await time('progress: one GROUPING SETS aggregate (the API)', () => progress(db, id)),
      await time('baseline: load every row, count in JS', () => naiveProgress(db, id))];
    console.log(`\nDirective progress over ${TOTAL_TEXT} assignments (${RUNS} runs each, ${os.cpus().length} cores, node ${process.version})\n`);
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
