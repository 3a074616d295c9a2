/**
 * Obligations in the read model: planned when the workflow plans a deadline, done when the
 * unit acts, cancelled when no longer owed. Every write is idempotent (keyed by owner and
 * obligation key), so a retried activity changes nothing; the four official statuses are
 * counted from these rows alone (see `officialCounts`).
 */
import type { Db } from './db';
import { Prisma } from './generated/prisma';
import { inUnits } from './unit-scope';

type Tx = Prisma.TransactionClient | Db;

export const obligationId = (ownerId: string, key: string) => `${ownerId}/${key}`;

/** The kind of an obligation from its key: "ack@1" → ack, "report#2" → report, "task:…" → task. */
export function kindOf(key: string): string {
  if (key.startsWith('ack@')) return 'ack';
  if (key.startsWith('report#')) return 'report';
  if (key.startsWith('task:')) return 'task';
  return key;
}

export interface PlannedObligation {
  directiveId: string;
  ownerId: string;
  unitCode: string;
  key: string;
  deadline: Date;
  taskId?: string;
  role?: string;
}

/**
 * Records what is owed by when; a deadline moved (an approved extension) replaces the old
 * one while the obligation is still open. The unit's level and province come from the
 * unit tree: its province is the first unit below the root on its path.
 */
export async function planObligation(tx: Tx, o: PlannedObligation): Promise<void> {
  await tx.$executeRaw(planObligationSql(o));
}

/**
 * The statement of {@link planObligation}, for a caller that writes more in the same
 * statement; `gate` is a further condition (e.g. "the event is new").
 */
export function planObligationSql(o: PlannedObligation, gate: Prisma.Sql = Prisma.sql`TRUE`): Prisma.Sql {
  return Prisma.sql`
    INSERT INTO "Obligation" (id, "directiveId", "ownerId", "unitCode", level, "provinceCode", kind, key, "taskId", role, deadline)
    SELECT ${obligationId(o.ownerId, o.key)}, ${o.directiveId}, ${o.ownerId}, ${o.unitCode}, u.level,
           NULLIF(split_part(u.path, '/', 3), ''), ${kindOf(o.key)}, ${o.key}, ${o.taskId ?? null}, ${o.role ?? null}, ${o.deadline}
      FROM "Unit" u WHERE u.code = ${o.unitCode} AND ${gate}
    ON CONFLICT (id) DO UPDATE SET deadline = EXCLUDED.deadline
     WHERE "Obligation"."doneAt" IS NULL AND "Obligation"."cancelledAt" IS NULL`;
}

/** The unit did what it owed at `at` (the first time counts). */
export async function obligationDone(tx: Tx, ownerId: string, key: string, at: Date): Promise<void> {
  await tx.obligation.updateMany({
    where: { id: obligationId(ownerId, key), doneAt: null, cancelledAt: null },
    data: { doneAt: at },
  });
}

/** The four official statuses of a set of obligations. */
export interface OfficialCounts {
  onTime: number;
  late: number;
  openWithinDeadline: number;
  overdue: number;
}

interface CountRow {
  level: string | null;
  province: string | null;
  g_level: number;
  g_province: number;
  on_time: number;
  late: number;
  open_within: number;
  overdue: number;
}

const counts = (r: CountRow): OfficialCounts => ({
  onTime: r.on_time,
  late: r.late,
  openWithinDeadline: r.open_within,
  overdue: r.overdue,
});

/** The four counts of a cascade overall, by level and by province, in one aggregate. */
export async function officialCounts(
  db: Db,
  directiveId: string,
  unitCodes?: string[],
): Promise<{ overall: OfficialCounts; byLevel: Record<string, OfficialCounts>; byProvince: Record<string, OfficialCounts> }> {
  const rows = await db.$queryRaw<CountRow[]>`
    SELECT level, "provinceCode" AS province,
           GROUPING(level)::int AS g_level, GROUPING("provinceCode")::int AS g_province,
           (count(*) FILTER (WHERE "doneAt" <= deadline))::int AS on_time,
           (count(*) FILTER (WHERE "doneAt" > deadline))::int AS late,
           (count(*) FILTER (WHERE "doneAt" IS NULL AND deadline >= now()))::int AS open_within,
           (count(*) FILTER (WHERE "doneAt" IS NULL AND deadline < now()))::int AS overdue
      FROM "Obligation"
     WHERE "directiveId" = ${directiveId} AND "cancelledAt" IS NULL AND ${inUnits(unitCodes)}
     GROUP BY GROUPING SETS ((), (level), ("provinceCode"))`;
  const zero: OfficialCounts = { onTime: 0, late: 0, openWithinDeadline: 0, overdue: 0 };
  const out = { overall: zero, byLevel: {} as Record<string, OfficialCounts>, byProvince: {} as Record<string, OfficialCounts> };
  for (const r of rows) {
    if (r.g_level && r.g_province) out.overall = counts(r);
    else if (!r.g_level) out.byLevel[r.level!] = counts(r);
    else if (r.province !== null) out.byProvince[r.province] = counts(r);
  }
  return out;
}

export type OfficialStatus = 'DONE_ON_TIME' | 'DONE_LATE' | 'OPEN_WITHIN_DEADLINE' | 'OVERDUE' | 'CANCELLED';

/** An obligation with its official status. */
export interface ObligationState {
  ownerId: string;
  unitCode: string;
  key: string;
  kind: string;
  taskId: string | null;
  role: string | null;
  deadline: Date;
  doneAt: Date | null;
  cancelledAt: Date | null;
  cancelReason: string | null;
  status: OfficialStatus;
}

/** Each obligation of one owner with its official status, oldest deadline first. */
export async function obligationsOf(db: Db, ownerIds: string[], now = new Date()): Promise<ObligationState[]> {
  const rows = await db.obligation.findMany({
    where: { ownerId: { in: ownerIds } },
    orderBy: [{ deadline: 'asc' }, { id: 'asc' }],
    select: { ownerId: true, unitCode: true, key: true, kind: true, taskId: true, role: true, deadline: true, doneAt: true, cancelledAt: true, cancelReason: true },
  });
  return rows.map((r) => ({ ...r, status: statusOf(r, now) }));
}

export function statusOf(o: { deadline: Date; doneAt: Date | null; cancelledAt: Date | null }, now: Date): OfficialStatus {
  if (o.cancelledAt) return 'CANCELLED';
  if (o.doneAt) return o.doneAt <= o.deadline ? 'DONE_ON_TIME' : 'DONE_LATE';
  return o.deadline < now ? 'OVERDUE' : 'OPEN_WITHIN_DEADLINE';
}

export interface TaskProgress {
  taskId: string;
  taskRef: string;
  title: string | null;
  leadUnitCode: string | null;
  parts: Array<{ unitCode: string; role: string; key: string; deadline: Date; doneAt: Date | null; status: OfficialStatus }>;
  /** Units whose part is overdue or was done late. */
  late: string[];
}

/** Each task of the cascade with its lead and coordinating units' parts and who is late. */
export async function taskProgress(db: Db, directiveId: string, unitCodes?: string[], now = new Date()): Promise<TaskProgress[]> {
  const rows = await db.obligation.findMany({
    where: { directiveId, taskId: { not: null }, ...(unitCodes ? { unitCode: { in: unitCodes } } : {}) },
    orderBy: [{ taskId: 'asc' }, { role: 'desc' }, { unitCode: 'asc' }, { deadline: 'asc' }],
  });
  const taskIds = [...new Set(rows.map((r) => r.taskId!))];
  const tasks = new Map(
    (await db.task.findMany({ where: { id: { in: taskIds } }, select: { id: true, title: true, leadUnitCode: true } })).map((t) => [t.id, t]),
  );
  return taskIds.map((taskId) => {
    const parts = rows
      .filter((r) => r.taskId === taskId)
      .map((r) => ({ unitCode: r.unitCode, role: r.role ?? 'lead', key: r.key, deadline: r.deadline, doneAt: r.doneAt, status: statusOf(r, now) }));
    return {
      taskId,
      taskRef: parts[0]!.key.split(':')[1] ?? '',
      title: tasks.get(taskId)?.title ?? null,
      leadUnitCode: tasks.get(taskId)?.leadUnitCode ?? null,
      parts,
      late: [...new Set(parts.filter((p) => p.status === 'OVERDUE' || p.status === 'DONE_LATE').map((p) => p.unitCode))],
    };
  });
}

/** Whether `unitCode` holds a part in task `taskRef` of the cascade. */
export async function hasTaskPart(db: Db, directiveId: string, ownerId: string): Promise<boolean> {
  return (await db.obligation.count({ where: { directiveId, ownerId } })) > 0;
}
