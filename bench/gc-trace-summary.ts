/**
 * Sums up a `--trace-gc` log per V8 isolate: a worker process runs one isolate on its main
 * thread and one per workflow thread (one per SDK Worker: the units' and the parents'), and
 * `process.memoryUsage()` sees only the main one. `--max-old-space-size` caps each of them
 * separately.
 *
 *   BENCH_WORKER_NODE_ARGS=--trace-gc npm run bench:cascade -- … > run.log
 *   npx tsx bench/gc-trace-summary.ts run.log
 *
 * Lines look like `[pid:0x5581d7a0e000]   51 ms: Scavenge 4.1 (4.3) -> 3.6 (5.3) MB, …`:
 * heap used before (committed) -> used after (committed). Isolates of several processes (the
 * floor's worker, then the cascade's) are told apart by pid.
 */
import { readFileSync } from 'node:fs';

const GC_LINE = /^\[(\d+):(0x[0-9a-f]+)\]\s+(\d+) ms: (\S+(?: \S+)?) ([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/;

interface IsolateStats {
  pid: string;
  isolate: string;
  gcs: number;
  majorGcs: number;
  /** Most heap in use seen before a collection, MB. */
  maxUsed: number;
  /** Most heap committed, MB. */
  maxCommitted: number;
  /** After the last collection: in use, committed, MB. */
  lastAfter: number;
  lastCommitted: number;
  lastMs: number;
}

export function summarizeGcTrace(text: string): IsolateStats[] {
  const byIsolate = new Map<string, IsolateStats>();
  for (const line of text.split('\n')) {
    const m = GC_LINE.exec(line);
    if (!m) continue;
    const [, pid, isolate, ms, kind, before, committedBefore, after, committedAfter] = m;
    const key = `${pid}:${isolate}`;
    const s = byIsolate.get(key) ?? {
      pid: pid!,
      isolate: isolate!,
      gcs: 0,
      majorGcs: 0,
      maxUsed: 0,
      maxCommitted: 0,
      lastAfter: 0,
      lastCommitted: 0,
      lastMs: 0,
    };
    s.gcs += 1;
    if (!kind!.startsWith('Scavenge')) s.majorGcs += 1;
    s.maxUsed = Math.max(s.maxUsed, Number(before));
    s.maxCommitted = Math.max(s.maxCommitted, Number(committedBefore), Number(committedAfter));
    s.lastAfter = Number(after);
    s.lastCommitted = Number(committedAfter);
    s.lastMs = Number(ms);
    byIsolate.set(key, s);
  }
  return [...byIsolate.values()];
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: npx tsx bench/gc-trace-summary.ts <log with --trace-gc lines>');
    process.exit(2);
  }
  const rows = summarizeGcTrace(readFileSync(file, 'utf8'));
  if (rows.length === 0) {
    console.error(`${file}: no --trace-gc lines`);
    process.exit(1);
  }
  console.log('pid      isolate           GCs (major)   max in use  max committed  last: in use / committed  at');
  for (const r of rows) {
    console.log(
      `${r.pid.padEnd(8)} ${r.isolate.padEnd(17)} ${String(r.gcs).padStart(5)} (${String(r.majorGcs).padStart(4)})` +
        `   ${r.maxUsed.toFixed(0).padStart(6)} MB   ${r.maxCommitted.toFixed(0).padStart(7)} MB` +
        `   ${r.lastAfter.toFixed(0).padStart(9)} / ${r.lastCommitted.toFixed(0)} MB   ${(r.lastMs / 1000).toFixed(0)} s`,
    );
  }
}
