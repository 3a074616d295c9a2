/**
 * How the forwarding levels paced their fan-outs: each FORWARDED event of a forwarding
 * workflow carries `waves`, [size, ms] per wave of child starts (workflow time). Summed
 * here per wave size, so a run shows what sizes the adaptive waves settled on and how long
 * a wave took at each (workflows/start-pace.ts; docs/performance.md).
 */
import type pg from 'pg';

/** Per wave size: how many waves, and their time to be started (ms), p50 and p90. */
export type WaveSummary = Record<string, { waves: number; p50: number; p90: number }>;

export async function waveSummary(pool: pg.Pool, directiveIds: string[]): Promise<WaveSummary> {
  const r = await pool.query<{ waves: Array<[number, number]> }>(
    `SELECT data->'waves' AS waves FROM "TimelineEvent"
      WHERE "directiveId" = ANY($1) AND type = 'FORWARDED' AND data ? 'waves'`,
    [directiveIds],
  );
  const bySize = new Map<number, number[]>();
  for (const { waves } of r.rows) {
    for (const [size, ms] of waves) {
      const list = bySize.get(size) ?? [];
      list.push(ms);
      bySize.set(size, list);
    }
  }
  const out: WaveSummary = {};
  for (const size of [...bySize.keys()].sort((a, b) => a - b)) {
    const ms = bySize.get(size)!.sort((a, b) => a - b);
    const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
    out[String(size)] = { waves: ms.length, p50: at(0.5), p90: at(0.9) };
  }
  return out;
}

/** `1: 340 waves, p50 0.4 s, p90 2.1 s; 2: …`, or – when no level recorded its waves. */
export function waveLine(summary: WaveSummary | undefined): string {
  const entries = Object.entries(summary ?? {});
  if (!entries.length) return '–';
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return entries.map(([size, w]) => `${size}: ${w.waves} waves, p50 ${s(w.p50)}, p90 ${s(w.p90)}`).join('; ');
}
