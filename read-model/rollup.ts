/**
 * A parent's view of its children's reports for one cycle, straight from the read model:
 * one aggregate query over the (parentAssignmentId) rows, whatever the fan-out.
 */
import type { Db } from './db';
import type { Rollup } from '../contract/activities';

interface Row {
  children: bigint;
  on_time: bigint;
  late: bigint;
  avg_completion: number | null;
}

export async function computeRollup(db: Db, parentAssignmentId: string, cycle: number): Promise<Rollup> {
  const rows = await db.$queryRaw<Row[]>`
    SELECT count(a.id) AS children,
           count(r.id) FILTER (WHERE r."onTime") AS on_time,
           count(r.id) FILTER (WHERE NOT r."onTime") AS late,
           avg(r.completion) AS avg_completion
      FROM "Assignment" a
      LEFT JOIN "Report" r ON r."assignmentId" = a.id AND r.cycle = ${cycle}
     WHERE a."parentAssignmentId" = ${parentAssignmentId}`;
  const row = rows[0]!;
  const children = Number(row.children);
  const onTime = Number(row.on_time);
  const late = Number(row.late);
  return {
    cycle,
    children,
    onTime,
    late,
    missing: children - onTime - late,
    averageCompletion: row.avg_completion === null ? null : Math.round(Number(row.avg_completion) * 10) / 10,
  };
}
