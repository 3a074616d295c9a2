/**
 * Writes a unit tree and reads it back. The import is one transaction of batched
 * `INSERT … ON CONFLICT DO UPDATE … WHERE values differ`, so re-importing the same data
 * touches no row, and the national tree (11,368 units) takes a few statements, not 11,368.
 */
import type { Db } from './db';
import type { Prisma } from './generated/prisma';
import { planUnitTree, type ExistingUnit, type PlannedUnit, type UnitInput } from '../domain/units/tree';

/** Anything with the `unit` delegate: the client itself or an interactive transaction. */
export type UnitDb = Pick<Prisma.TransactionClient, 'unit'>;

export interface UpsertUnitsResult {
  /** Units of the batch that were not stored before. */
  created: number;
  /** Units of the batch whose name, level or parent changed (path and depth follow). */
  updated: number;
  /** Units of the batch stored exactly as given. */
  unchanged: number;
  /** Stored units outside the batch whose path was rewritten because an ancestor moved. */
  moved: number;
}

/** Rows per statement: big enough to be fast, small enough to keep one statement's work bounded. */
const CHUNK = 2000;

// unnest() of one array per column keeps the statement at 6 parameters whatever the chunk
// size (the protocol caps a statement at 65,535). Timestamps are UTC because the columns are
// `timestamp without time zone` and Prisma writes UTC there; now() alone would use the
// session's zone. IS DISTINCT FROM compares NULL parents correctly.
const UPSERT_SQL = `
INSERT INTO "Unit" ("code", "name", "level", "parentCode", "path", "depth", "createdAt", "updatedAt")
SELECT t.code, t.name, t.level, t.parent, t.path, t.depth, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[])
  AS t(code, name, level, parent, path, depth)
ON CONFLICT ("code") DO UPDATE SET
  "name" = EXCLUDED."name", "level" = EXCLUDED."level", "parentCode" = EXCLUDED."parentCode",
  "path" = EXCLUDED."path", "depth" = EXCLUDED."depth", "updatedAt" = now() AT TIME ZONE 'UTC'
WHERE ("Unit"."name", "Unit"."level", "Unit"."parentCode", "Unit"."path", "Unit"."depth")
  IS DISTINCT FROM (EXCLUDED."name", EXCLUDED."level", EXCLUDED."parentCode", EXCLUDED."path", EXCLUDED."depth")
RETURNING "code", (xmax = 0) AS "created"`;

/** Serializes imports, so that two cannot each pass the cycle check and together form a cycle. */
const IMPORT_LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtext('directive-cascade:unit-import'))`;

function sameAsStored(row: PlannedUnit, stored: ExistingUnit | undefined): boolean {
  return (
    stored !== undefined &&
    stored.name === row.name &&
    stored.level === row.level &&
    stored.parentCode === row.parentCode &&
    stored.path === row.path &&
    stored.depth === row.depth
  );
}

async function writeChunk(
  tx: Prisma.TransactionClient,
  rows: PlannedUnit[],
): Promise<Array<{ code: string; created: boolean }>> {
  return tx.$queryRawUnsafe(
    UPSERT_SQL,
    rows.map((r) => r.code),
    rows.map((r) => r.name),
    rows.map((r) => r.level),
    rows.map((r) => r.parentCode),
    rows.map((r) => r.path),
    rows.map((r) => r.depth),
  );
}

/**
 * Creates or updates units (and rewrites the paths of stored descendants of moved units) in
 * one transaction. Throws UnitTreeError, writing nothing, when the batch would break the tree.
 * Idempotent: importing the same batch again reports every unit unchanged and writes no row.
 */
export async function upsertUnits(db: Db, units: UnitInput[]): Promise<UpsertUnitsResult> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(IMPORT_LOCK_SQL);
      // The whole table is read (about 1 MB for the national tree) because a cycle or a
      // moved subtree can involve any stored row; reading it after the lock keeps it current.
      const stored = await tx.unit.findMany({
        select: { code: true, name: true, level: true, parentCode: true, path: true, depth: true },
      });
      const existing = new Map<string, ExistingUnit>(stored.map((u) => [u.code, u]));
      const plan = planUnitTree(units, existing);

      // Skipping rows identical to the stored ones makes a re-import a read, not a write;
      // the SQL's WHERE would skip them too, but only after shipping them.
      const rows = [...plan.units, ...plan.moved]
        .filter((r) => !sameAsStored(r, existing.get(r.code)))
        .sort((a, b) => a.depth - b.depth); // parents before children across chunks (FK)
      let created = 0;
      let updated = 0;
      let moved = 0;
      const inBatch = new Set(units.map((u) => u.code));
      for (let i = 0; i < rows.length; i += CHUNK) {
        for (const r of await writeChunk(tx, rows.slice(i, i + CHUNK))) {
          if (!inBatch.has(r.code)) moved++;
          else if (r.created) created++;
          else updated++;
        }
      }
      return { created, updated, unchanged: units.length - created - updated, moved };
    },
    // The default 5 s interactive-transaction timeout is too tight for a slow CI disk.
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** A unit as the API shows it. */
export interface UnitSummary {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  path: string;
  depth: number;
}

/** A unit with its direct children, ordered by code. */
export interface UnitWithChildren extends UnitSummary {
  children: UnitSummary[];
}

const summary = {
  code: true,
  name: true,
  level: true,
  parentCode: true,
  path: true,
  depth: true,
} as const;

/** The unit with its direct children, or null when no unit has this code. */
export async function getUnit(db: UnitDb, code: string): Promise<UnitWithChildren | null> {
  return db.unit.findUnique({
    where: { code },
    select: { ...summary, children: { select: summary, orderBy: { code: 'asc' } } },
  });
}

/** The direct children of a unit, ordered by code; empty for a leaf or an unknown code. */
export async function childrenOf(db: UnitDb, code: string): Promise<UnitSummary[]> {
  return db.unit.findMany({
    where: { parentCode: code },
    select: summary,
    orderBy: { code: 'asc' },
  });
}

/**
 * Whether `code` lies strictly below `ancestorCode` (a unit is not its own descendant).
 * Two primary-key reads and a prefix test on the materialized paths; false if either is unknown.
 */
export async function isDescendant(
  db: UnitDb,
  ancestorCode: string,
  code: string,
): Promise<boolean> {
  if (ancestorCode === code) return false;
  const rows = await db.unit.findMany({
    where: { code: { in: [ancestorCode, code] } },
    select: { code: true, path: true },
  });
  const ancestor = rows.find((r) => r.code === ancestorCode);
  const unit = rows.find((r) => r.code === code);
  return ancestor !== undefined && unit !== undefined && unit.path.startsWith(ancestor.path);
}

/**
 * Codes of the stored units strictly below `code`, ordered by code; empty for a leaf or an
 * unknown code. A prefix scan on the materialized paths.
 */
export async function descendantCodes(db: UnitDb, code: string): Promise<string[]> {
  const unit = await db.unit.findUnique({ where: { code }, select: { path: true } });
  if (unit === null) return [];
  const rows = await db.unit.findMany({
    where: { path: { startsWith: unit.path }, code: { not: code } },
    select: { code: true },
    orderBy: { code: 'asc' },
  });
  return rows.map((r) => r.code);
}
