/**
 * `npx tsx bench/profile-summary.ts DIR [N]`: the V8 CPU profiles in DIR (written by a worker
 * run with BENCH_WORKER_CPU_PROF=DIR) summed up — self time per file (package or project
 * module) and the top N functions by self time, per profile (one per thread).
 */
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

/** `node_modules/@temporalio/worker/lib/x.js` → `@temporalio/worker`; project files stay as they are. */
function owner(url: string): string {
  if (!url) return '(native / V8)';
  const at = url.lastIndexOf('node_modules/');
  if (at >= 0) {
    const rest = url.slice(at + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node:*';
  return path.relative(process.cwd(), url.replace(/^file:\/\//, ''));
}

function top(map: Map<string, number>, n: number, totalMs: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, ms]) => `${ms.toFixed(0).padStart(8)} ms ${((ms * 100) / totalMs).toFixed(1).padStart(5)} %  ${k}`);
}

const dir = process.argv[2];
const n = Number(process.argv[3] ?? 25);
if (!dir) throw new Error('usage: tsx bench/profile-summary.ts DIR [N]');
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort()) {
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Profile;
  const samples = profile.samples?.length ?? 0;
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const perSample = samples ? totalMs / samples : 0;
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * perSample;
    if (!ms) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    busy += ms;
    const who = owner(url);
    byOwner.set(who, (byOwner.get(who) ?? 0) + ms);
    const fn = `${functionName || '(anonymous)'} ${who}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + ms);
  }
  console.log(`\n${file}: ${(totalMs / 1000).toFixed(1)} s profiled, ${(busy / 1000).toFixed(1)} s busy (idle and (program) left out)`);
  console.log('by file or package:');
  for (const line of top(byOwner, 15, busy)) console.log(line);
  console.log(`top ${n} functions by self time:`);
  for (const line of top(byFunction, n, busy)) console.log(line);
}
