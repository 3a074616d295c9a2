/**
 * The four official statuses, from whichever shape the API gives. The directive's progress
 * is getting them (overall, by level, by province) while this dashboard is written; until
 * then the map's per-unit counts stand in. One reader here, so a renamed field is a
 * one-line change.
 */
import type { OfficialCounts } from './types';

const pick = (o: Record<string, unknown>, names: string[]): number | undefined => {
  for (const n of names) {
    const v = o[n];
    if (typeof v === 'number') return v;
  }
  return undefined;
};

/** The four counts in `source` (or in its `official`/`statuses`/`officialCounts` member), or null. */
export function officialCounts(source: unknown): OfficialCounts | null {
  if (!source || typeof source !== 'object') return null;
  const o = source as Record<string, unknown>;
  for (const nested of ['official', 'overall', 'statuses', 'officialCounts', 'officialStatus']) {
    const inner = o[nested];
    if (inner && typeof inner === 'object') {
      const found = officialCounts(inner);
      if (found) return found;
    }
  }
  const onTime = pick(o, ['onTime', 'doneOnTime', 'closedOnTime', 'done_on_time']);
  const late = pick(o, ['late', 'doneLate', 'closedLate', 'done_late']);
  const open = pick(o, [
    'open',
    'openWithinDeadline',
    'withinDeadline',
    'openOnTime',
    'inProgress',
  ]);
  const overdue = pick(o, ['overdue', 'openOverdue', 'overdueOpen']);
  if (onTime === undefined || late === undefined || open === undefined || overdue === undefined)
    return null;
  return { onTime, late, open, overdue };
}

/** The per-province (or other grouping) official counts of a progress, keyed by unit code. */
export function countsByKey(source: unknown): Map<string, OfficialCounts> {
  const out = new Map<string, OfficialCounts>();
  if (Array.isArray(source)) {
    for (const row of source) {
      const key =
        (row as { code?: string; unitCode?: string }).code ??
        (row as { unitCode?: string }).unitCode;
      const counts = officialCounts(row);
      if (key && counts) out.set(key, counts);
    }
  } else if (source && typeof source === 'object') {
    for (const [key, row] of Object.entries(source)) {
      const counts = officialCounts(row);
      if (counts) out.set(key, counts);
    }
  }
  return out;
}

/** The official counts of a progress's `official.byLevel` / `official.byProvince` entry. */
export function officialPart(
  progress: unknown,
  group: 'byLevel' | 'byProvince',
  key: string,
): OfficialCounts | null {
  const official = (
    progress as { official?: Record<string, Record<string, unknown> | undefined> } | null
  )?.official;
  return officialCounts(official?.[group]?.[key]);
}

/** Share of overdue among the open and closed units (revoked and failed apart), 0..1. */
export function overdueShare(c: OfficialCounts): number {
  const base = c.onTime + c.late + c.open + c.overdue;
  return base === 0 ? 0 : c.overdue / base;
}
