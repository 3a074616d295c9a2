/** How deep a unit's subtree goes: what issue-time planning needs to bound a cascade's depth. */
import type { UnitDb } from './units';

/**
 * Levels of units below `code` in its subtree (1: children only, 0: none), or null when the
 * unit does not exist. One indexed prefix scan on the materialized path.
 */
export async function levelsBelow(db: UnitDb, code: string): Promise<number | null> {
  const unit = await db.unit.findUnique({ where: { code }, select: { path: true, depth: true } });
  if (!unit) return null;
  const deepest = await db.unit.aggregate({
    _max: { depth: true },
    where: { path: { startsWith: unit.path } },
  });
  return (deepest._max.depth ?? unit.depth) - unit.depth;
}
