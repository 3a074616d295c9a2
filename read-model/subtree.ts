/**
 * Subtree queries on the materialized path ("/ROOT/…/CODE/"). A path prefix is matched
 * with SQL LIKE so that the text_pattern_ops index serves it, and every LIKE wildcard a
 * unit code might hold (`_`, `%`, and the escape character itself) is escaped here:
 * Prisma's `startsWith` does not escape them, so `HN_01`'s prefix "/VN/HN_01/" would also
 * match "/VN/HNX01/". Callers compare prefixes in code with {@link isUnder}.
 */
import type { Db } from './db';

/** Whether `path` lies in the subtree whose root has path `rootPath` (the root included). */
export const isUnder = (path: string, rootPath: string): boolean => path.startsWith(rootPath);

/** A LIKE pattern matching exactly the strings that start with `prefix` (escape character `\`). */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Codes of the units in the subtree rooted at `rootPath` (the root included). */
export async function subtreeCodes(db: Pick<Db, '$queryRaw'>, rootPath: string): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ code: string }>>`
    SELECT code FROM "Unit" WHERE path LIKE ${likePrefix(rootPath)} ESCAPE '\\'`;
  return rows.map((r) => r.code);
}

/**
 * How many units lie in the subtrees rooted at these units (each unit counted once): the
 * units whose path names one of them. One scan of the unit table, no pattern matching.
 */
export async function unitsReached(db: Pick<Db, '$queryRaw'>, rootCodes: string[]): Promise<number> {
  if (rootCodes.length === 0) return 0;
  const rows = await db.$queryRaw<Array<{ n: number }>>`
    SELECT count(*)::int AS n FROM "Unit"
     WHERE string_to_array(btrim(path, '/'), '/') && ${rootCodes}::text[]`;
  return rows[0]?.n ?? 0;
}

/** The deepest depth in the subtree rooted at `rootPath`, or null when it is empty. */
export async function deepestBelow(db: Pick<Db, '$queryRaw'>, rootPath: string): Promise<number | null> {
  const rows = await db.$queryRaw<Array<{ depth: number | null }>>`
    SELECT max(depth)::int AS depth FROM "Unit" WHERE path LIKE ${likePrefix(rootPath)} ESCAPE '\\'`;
  return rows[0]?.depth ?? null;
}

/** The units of the subtree rooted at `rootPath` (the root included): what the document parser matches names against. */
export async function subtreeUnits(
  db: Pick<Db, '$queryRaw'>,
  rootPath: string,
): Promise<Array<{ code: string; name: string; level: string; parentCode: string | null }>> {
  return db.$queryRaw`
    SELECT code, name, level, "parentCode" FROM "Unit" WHERE path LIKE ${likePrefix(rootPath)} ESCAPE '\\' ORDER BY depth, code`;
}
