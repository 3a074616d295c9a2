/**
 * Planning a unit-tree import: pure checks (duplicates, unknown parents, cycles) and the
 * materialized path and depth of every unit the import touches. No database access, so the
 * rules are unit-tested without one and the writer only ever receives a consistent plan.
 */
import { z } from 'zod';

/** One unit as imported. Level names are free-form data, so a tree may have 2 or 4 levels. */
export interface UnitInput {
  code: string;
  name: string;
  level: string;
  /** null for a root. */
  parentCode: string | null;
}

/** Validates untrusted input (e.g. a JSON file) into UnitInput; the tree rules come later. */
export const unitInputSchema = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  level: z.string().min(1),
  parentCode: z.string().min(1).nullable(),
});

/** A unit as it is stored: what the plan needs to know about rows already in the database. */
export interface ExistingUnit {
  name: string;
  level: string;
  parentCode: string | null;
  path: string;
  depth: number;
}

/** A row to write: the unit plus its computed path ("/ROOT/A/B/", own code last) and depth (root = 0). */
export interface PlannedUnit extends UnitInput {
  path: string;
  depth: number;
}

export type UnitTreeErrorCode = 'INVALID_CODE' | 'DUPLICATE_CODE' | 'UNKNOWN_PARENT' | 'CYCLE';

/** A batch that would break the tree. Nothing is written when a plan throws this. */
export class UnitTreeError extends Error {
  constructor(
    readonly code: UnitTreeErrorCode,
    /** The offending unit codes. */
    readonly details: string[],
    message: string,
  ) {
    super(message);
    this.name = 'UnitTreeError';
  }
}

export interface UnitTreePlan {
  /** Every incoming unit with its path and depth, parents before children. */
  units: PlannedUnit[];
  /** Existing units outside the batch whose path or depth changes because an ancestor moved. */
  moved: PlannedUnit[];
}

/** Shows at most a few items: an error about 10,000 units must stay readable. */
function sample(items: string[], limit = 10): string {
  const shown = items.slice(0, limit).join(', ');
  return items.length > limit ? `${shown} … (${items.length} in all)` : shown;
}

function checkCodes(incoming: UnitInput[]): void {
  // "/" is the path separator, so a code containing it would make prefix scans lie.
  const invalid = incoming.filter((u) => !/^[^/\s]+$/.test(u.code)).map((u) => u.code);
  if (invalid.length > 0) {
    throw new UnitTreeError(
      'INVALID_CODE',
      invalid,
      `unit codes must be non-empty without "/" or spaces: ${sample(invalid.map((c) => JSON.stringify(c)))}`,
    );
  }
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const u of incoming) (seen.has(u.code) ? duplicates : seen).add(u.code);
  if (duplicates.size > 0) {
    const codes = [...duplicates];
    throw new UnitTreeError(
      'DUPLICATE_CODE',
      codes,
      `unit codes appear more than once in the batch: ${sample(codes)}`,
    );
  }
}

function checkParents(
  incoming: UnitInput[],
  batch: Map<string, UnitInput>,
  existing: ReadonlyMap<string, ExistingUnit>,
): void {
  const orphans = incoming.filter(
    (u) => u.parentCode !== null && !batch.has(u.parentCode) && !existing.has(u.parentCode),
  );
  if (orphans.length > 0) {
    throw new UnitTreeError(
      'UNKNOWN_PARENT',
      orphans.map((u) => u.code),
      `parent is neither in the batch nor in the database: ${sample(orphans.map((u) => `${u.code} (parent ${u.parentCode})`))}`,
    );
  }
}

/**
 * Computes the path of every unit in the merged tree (batch over existing rows), walking
 * upward iteratively so that a long chain cannot overflow the stack. Returns the paths, or
 * throws CYCLE naming the codes on each cycle found.
 */
function computePaths(
  parentOf: (code: string) => string | null,
  codes: Iterable<string>,
): Map<string, string> {
  const paths = new Map<string, string>();
  const broken = new Set<string>(); // on a cycle or hanging below one: no path exists
  const cycles: string[][] = [];
  for (const start of codes) {
    const chain: string[] = [];
    const onChain = new Map<string, number>();
    let cursor: string | null = start;
    let base = '/'; // the path above the chain: "/" when the chain reaches a root
    let resolved = true;
    while (cursor !== null) {
      const known = paths.get(cursor);
      if (known !== undefined) {
        base = known;
        break;
      }
      if (broken.has(cursor)) {
        resolved = false;
        break;
      }
      const at = onChain.get(cursor);
      if (at !== undefined) {
        cycles.push(chain.slice(at));
        resolved = false;
        break;
      }
      onChain.set(cursor, chain.length);
      chain.push(cursor);
      cursor = parentOf(cursor);
    }
    if (!resolved) {
      for (const code of chain) broken.add(code);
      continue;
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      const code = chain[i]!;
      base = `${base}${code}/`;
      paths.set(code, base);
    }
  }
  if (cycles.length > 0) {
    const codes = cycles.flat();
    throw new UnitTreeError(
      'CYCLE',
      codes,
      `units would become their own ancestors (child → parent): ${cycles.map((c) => [...c, c[0]].join(' → ')).join('; ')}`,
    );
  }
  return paths;
}

/** Depth from the path: "/A/" is 0, "/A/B/" is 1. */
function depthOf(path: string): number {
  return path.split('/').length - 3;
}

/**
 * Checks a batch against the units already stored and plans the rows to write.
 * Rejects (UnitTreeError) codes with "/" or spaces, duplicate codes in the batch, parents
 * found neither in the batch nor in `existing`, and cycles — including one closed through
 * existing rows when a stored unit is re-parented under its own descendant. Several roots
 * are allowed on purpose: the demo tree, the national tree and tests' trees share one table.
 */
export function planUnitTree(
  incoming: UnitInput[],
  existing: ReadonlyMap<string, ExistingUnit>,
): UnitTreePlan {
  checkCodes(incoming);
  const batch = new Map(incoming.map((u) => [u.code, u]));
  checkParents(incoming, batch, existing);

  // The batch wins over stored rows: that is how a re-parenting is expressed.
  const parentOf = (code: string): string | null =>
    batch.get(code)?.parentCode ??
    (batch.has(code) ? null : (existing.get(code)?.parentCode ?? null));
  // All codes, not just the batch: stored descendants of a moved unit need new paths too.
  const paths = computePaths(parentOf, [...batch.keys(), ...existing.keys()]);

  const units = incoming.map((u) => {
    const path = paths.get(u.code)!;
    return { ...u, path, depth: depthOf(path) };
  });
  const moved: PlannedUnit[] = [];
  for (const [code, row] of existing) {
    if (batch.has(code)) continue;
    const path = paths.get(code)!;
    if (path !== row.path)
      moved.push({
        code,
        name: row.name,
        level: row.level,
        parentCode: row.parentCode,
        path,
        depth: depthOf(path),
      });
  }
  // Parents first, so that chunked inserts never reference a parent not yet written.
  const byDepth = (a: PlannedUnit, b: PlannedUnit) => a.depth - b.depth;
  return { units: units.sort(byDepth), moved: moved.sort(byDepth) };
}
