/**
 * Views the dashboard needs that the other endpoints do not give in one query: a cascade
 * rolled up by the subtrees below one unit (the "map" of provinces, then of a province's
 * communes), the tree of implementing documents one level at a time, and unit names.
 * Every view is one or two indexed queries over the read model, never Temporal.
 */
import { OPEN_STAGES, Stage } from '../contract/definitions';
import type { Db } from './db';

/** A unit as the dashboard names it. */
export interface UnitRef {
  code: string;
  name: string;
  level: string;
}

/**
 * A subtree's assignments by status, one unit counted once. `onTime`/`late`: closed
 * (COMPLETED) without / after having been overdue; `open`: open within its deadline;
 * `overdue`: open past it. Failed (incidents) and revoked are apart from the four.
 */
export interface UnitStatusCounts {
  total: number;
  onTime: number;
  late: number;
  open: number;
  overdue: number;
  failed: number;
  revoked: number;
}

/** The own assignment of a map cell's unit, when it has one in the cascade. */
export interface CellAssignment {
  stage: string;
  overdue: boolean;
  escalationRung: number;
  waitingFor: string | null;
  nextDeadline: Date | null;
}

/** One cell of the map: a unit directly below the map's parent and its subtree's counts. */
export interface MapCell extends UnitRef {
  /** Whether units below it are in the cascade (a cell to drill into). */
  hasChildren: boolean;
  assignment: CellAssignment | null;
  counts: UnitStatusCounts;
}

export interface CascadeMap {
  parent: UnitRef;
  /** From the map's root down to `parent`, both included. */
  trail: UnitRef[];
  cells: MapCell[];
  totals: UnitStatusCounts;
}

/** A unit with its place in the tree. */
export interface UnitPathRow extends UnitRef {
  path: string;
  depth: number;
}

/** A unit with its materialized path, or null. */
export async function unitWithPath(db: Db, code: string): Promise<UnitPathRow | null> {
  return db.unit.findUnique({
    where: { code },
    select: { code: true, name: true, level: true, path: true, depth: true },
  });
}

interface CellRow {
  cell: string;
  total: number;
  on_time: number;
  late: number;
  open: number;
  overdue: number;
  failed: number;
  revoked: number;
  below: number;
}

const OPEN = [...OPEN_STAGES] as string[];
const zero = (): UnitStatusCounts => ({
  total: 0,
  onTime: 0,
  late: 0,
  open: 0,
  overdue: 0,
  failed: 0,
  revoked: 0,
});

/**
 * The cascade `directiveId` rolled up by the units directly below `parent` (by unit path):
 * each cell counts its own assignment and every assignment in its subtree. Units below the
 * parent with nothing of the cascade in their subtree are left out. `rootCode` (where the
 * caller's view starts) only shapes the trail.
 */
export async function cascadeMap(
  db: Db,
  directiveId: string,
  parent: UnitPathRow,
  rootCode: string,
): Promise<CascadeMap> {
  const cellPart = parent.depth + 3; // "/A/B/": split_part index 2 is depth 0
  const rows = await db.$queryRaw<CellRow[]>`
    WITH late AS (
      SELECT DISTINCT "assignmentId" FROM "TimelineEvent"
       WHERE "directiveId" = ${directiveId} AND type = 'OVERDUE'
    ), sub AS (
      SELECT split_part(u.path, '/', ${cellPart}::int) AS cell, u.depth, a.stage, a.overdue,
             (l."assignmentId" IS NOT NULL) AS was_late
        FROM "Assignment" a
        JOIN "Unit" u ON u.code = a."unitCode"
        LEFT JOIN late l ON l."assignmentId" = a.id
       WHERE a."directiveId" = ${directiveId}
         AND starts_with(u.path, ${parent.path}) AND u.depth > ${parent.depth}
    )
    SELECT cell,
           count(*)::int AS total,
           (count(*) FILTER (WHERE stage = ${Stage.COMPLETED} AND NOT was_late))::int AS on_time,
           (count(*) FILTER (WHERE stage = ${Stage.COMPLETED} AND was_late))::int AS late,
           (count(*) FILTER (WHERE stage = ANY(${OPEN}::text[]) AND NOT overdue))::int AS open,
           (count(*) FILTER (WHERE stage = ANY(${OPEN}::text[]) AND overdue))::int AS overdue,
           (count(*) FILTER (WHERE stage = ${Stage.FAILED}))::int AS failed,
           (count(*) FILTER (WHERE stage = ${Stage.REVOKED}))::int AS revoked,
           (count(*) FILTER (WHERE depth > ${parent.depth + 1}))::int AS below
      FROM sub GROUP BY cell`;
  const codes = rows.map((r) => r.cell);
  const [units, own, trail] = await Promise.all([
    db.unit.findMany({
      where: { code: { in: codes } },
      select: { code: true, name: true, level: true },
    }),
    db.assignment.findMany({
      where: { directiveId, unitCode: { in: codes } },
      select: {
        unitCode: true,
        stage: true,
        overdue: true,
        escalationRung: true,
        waitingFor: true,
        nextDeadline: true,
      },
    }),
    trailTo(db, parent, rootCode),
  ]);
  const unitByCode = new Map(units.map((u) => [u.code, u]));
  const ownByCode = new Map(own.map(({ unitCode, ...a }) => [unitCode, a]));
  const totals = zero();
  const cells: MapCell[] = rows.map((r) => {
    const counts: UnitStatusCounts = {
      total: r.total,
      onTime: r.on_time,
      late: r.late,
      open: r.open,
      overdue: r.overdue,
      failed: r.failed,
      revoked: r.revoked,
    };
    for (const k of Object.keys(totals) as Array<keyof UnitStatusCounts>) totals[k] += counts[k];
    const unit = unitByCode.get(r.cell) ?? { code: r.cell, name: r.cell, level: '' };
    return { ...unit, hasChildren: r.below > 0, assignment: ownByCode.get(r.cell) ?? null, counts };
  });
  cells.sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.code.localeCompare(b.code));
  return {
    parent: { code: parent.code, name: parent.name, level: parent.level },
    trail,
    cells,
    totals,
  };
}

/** The units from `rootCode` down to `unit` (by its path), named; just `unit` when the root is not above it. */
async function trailTo(db: Db, unit: UnitPathRow, rootCode: string): Promise<UnitRef[]> {
  const codes = unit.path.split('/').filter(Boolean);
  const from = codes.indexOf(rootCode);
  const wanted = from < 0 ? [unit.code] : codes.slice(from);
  const rows = await db.unit.findMany({
    where: { code: { in: wanted } },
    select: { code: true, name: true, level: true },
  });
  const byCode = new Map(rows.map((r) => [r.code, r]));
  return wanted.map((c) => byCode.get(c) ?? { code: c, name: c, level: '' });
}

/** A document of a cascade, as its tree lists it. */
export interface DocumentNode {
  id: string;
  number: string;
  kind: string;
  title: string;
  issuedAt: Date;
  parentId: string | null;
  issuer: UnitRef;
  /** Implementing documents issued on the basis of this one. */
  children: number;
}

interface DocumentRow {
  id: string;
  number: string;
  kind: string;
  title: string;
  issuedAt: Date;
  parentId: string | null;
  issuerCode: string;
  issuerName: string | null;
  issuerLevel: string | null;
  issuerPath: string | null;
  children: number;
}

/**
 * One level of the cascade's document tree: the root (when `parentId` is null) or the
 * implementing documents based directly on `parentId`, each with how many are based on it.
 * `visible` filters by the issuer's unit path (a unit token sees its own branch).
 */
export async function documentLevel(
  db: Db,
  rootId: string,
  parentId: string | null,
  visible: (issuerPath: string | null) => boolean,
): Promise<DocumentNode[]> {
  const rows = await db.$queryRaw<DocumentRow[]>`
    SELECT d.id, d.number, d.kind, d.title, d."issuedAt", d."parentId", d."issuerCode",
           u.name AS "issuerName", u.level AS "issuerLevel", u.path AS "issuerPath",
           (SELECT count(*)::int FROM "Directive" c WHERE c."parentId" = d.id) AS children
      FROM "Directive" d
      LEFT JOIN "Unit" u ON u.code = d."issuerCode"
     WHERE d."rootId" = ${rootId}
       AND (CASE WHEN ${parentId}::text IS NULL THEN d.id = ${rootId} ELSE d."parentId" = ${parentId}::text END)
     ORDER BY u.name, d."issuedAt", d.id`;
  return rows
    .filter((r) => visible(r.issuerPath))
    .map((r) => ({
      id: r.id,
      number: r.number,
      kind: r.kind,
      title: r.title,
      issuedAt: r.issuedAt,
      parentId: r.parentId,
      issuer: {
        code: r.issuerCode,
        name: r.issuerName ?? r.issuerCode,
        level: r.issuerLevel ?? '',
      },
      children: r.children,
    }));
}

/** Name, level and path of the units among `codes` that exist. */
export async function unitsByCode(
  db: Db,
  codes: string[],
): Promise<Array<UnitRef & { path: string }>> {
  return db.unit.findMany({
    where: { code: { in: codes } },
    select: { code: true, name: true, level: true, path: true },
  });
}
