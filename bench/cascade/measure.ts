/**
 * What the benchmark measures with, and how it prints it: CPU seconds of process trees and
 * peak resident set from /proc, CPU windows over a phase, and the time and size formats of
 * its log lines and table.
 */
import fs from 'node:fs';

/** Milliseconds as seconds with one decimal: `12.3`. */
export const secs = (ms: number) => (ms / 1000).toFixed(1);

/** Bytes as whole mebibytes: `512 MiB`. */
export const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

/** A progress line on stdout, prefixed with the UTC time of day. */
export const log = (line: string) =>
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const CLK_TCK = 100;

/**
 * CPU seconds (user + system) of a process and all its descendants, from /proc — with the
 * time of descendants that exited and were reaped (cutime + cstime), so the sum never goes
 * down when one exits mid-phase (a PostgreSQL backend whose connection closed).
 */
export function treeCpuSeconds(rootPid: number | undefined): number {
  if (!rootPid) return 0;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name, which may itself contain spaces.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(entry), {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]),
      });
    } catch {
      /* exited meanwhile */
    }
  }
  let ticks = 0;
  const stack = [rootPid];
  const seen = new Set<number>();
  while (stack.length) {
    const pid = stack.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    ticks += stats.get(pid)?.ticks ?? 0;
    for (const [child, s] of stats) if (s.ppid === pid) stack.push(child);
  }
  return ticks / CLK_TCK;
}

/** Peak resident set (VmHWM) of a live process, in bytes. */
export function peakRss(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** One process tree to charge CPU to; the label `bench` means this process itself. */
export interface CpuProbe {
  label: string;
  pid: () => number | undefined;
}

/** CPU seconds spent by each probed process tree between this call and the returned stop(). */
export function cpuWindow(probes: CpuProbe[]): () => Record<string, number> {
  const at = () =>
    probes.map((p) =>
      p.label === 'bench'
        ? process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6
        : treeCpuSeconds(p.pid()),
    );
  const start = at();
  return () => {
    const end = at();
    return Object.fromEntries(probes.map((p, i) => [p.label, end[i]! - start[i]!]));
  };
}
