/**
 * The benchmark's own measuring tools: CPU by process tree (a descendant that exits must
 * not take its CPU with it) and the per-isolate heap summary of a --trace-gc log.
 */
import { spawnSync } from 'node:child_process';
import { treeCpuSeconds } from '../bench/cascade/measure';
import { summarizeGcTrace } from '../bench/gc-trace-summary';

test('when a descendant burns CPU and exits then the tree keeps its CPU seconds', () => {
  const before = treeCpuSeconds(process.pid);
  // Busy until the child itself has used 300 ms of CPU (not wall time), then exit; spawnSync reaps it.
  const burn = 'const t = () => process.cpuUsage().user / 1000; while (t() < 300) {}';
  const run = spawnSync(process.execPath, ['-e', burn]);
  expect(run.status).toBe(0);
  // The child is gone from /proc; its time now lives in this process's cutime.
  expect(treeCpuSeconds(process.pid) - before).toBeGreaterThanOrEqual(0.25);
});

test('when a --trace-gc log has several isolates then each is summed up on its own', () => {
  const log = [
    '[100:0x1803bea0]      495 ms: Mark-Compact 13.4 (19.3) -> 11.0 (21.1) MB, 3.33 / 0.01 ms  (average mu = 1.000)',
    '[100:0x7f23f4001000]    600 ms: Scavenge 40.5 (60.0) -> 30.2 (62.5) MB, 1.2 / 0.0 ms  allocation failure;',
    'an unrelated line',
    '[100:0x7f23f4001000]   9000 ms: Mark-Compact 190.0 (220.0) -> 120.0 (210.0) MB, 50 / 0.0 ms',
    '[100:0x1803bea0]     9100 ms: Scavenge 20.0 (25.0) -> 12.0 (25.0) MB, 1 / 0 ms',
  ].join('\n');
  const rows = summarizeGcTrace(log);
  expect(rows).toEqual([
    { pid: '100', isolate: '0x1803bea0', gcs: 2, majorGcs: 1, maxUsed: 20, maxCommitted: 25, lastAfter: 12, lastCommitted: 25, lastMs: 9100 },
    { pid: '100', isolate: '0x7f23f4001000', gcs: 2, majorGcs: 1, maxUsed: 190, maxCommitted: 220, lastAfter: 120, lastCommitted: 210, lastMs: 9000 },
  ]);
});
