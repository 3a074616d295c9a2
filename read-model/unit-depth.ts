/** How deep a unit's subtree goes: what issue-time planning needs to bound a cascade's depth. */
import type { Db } from './db';
import { deepestBelow } from './subtree';
import type { UnitDb } from './units';

/**
 * Levels of units below `code` in its subtree (1: children only, 0: none), or null when the
 * unit does not exist. One indexed prefix scan on the materialized path (LIKE wildcards
 * in codes escaped).
 */
export async function levelsBelow(db: UnitDb & Pick<Db, '$queryRaw'>, code: string): Promise<number | null> {
  const unit = await db.unit.findUnique({ where: { code }, select: { path: true, depth: true } });
  if (!unit) return null;
  const deepest = await deepestBelow(db, unit.path);
  return (deepest ?? unit.depth) - unit.depth;
}
