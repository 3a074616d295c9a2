/**
 * The benchmark's tree: a national tree (by default the 2025 one, `--tree national-2019`
 * for the old one), or its root with only the first K provinces.
 */
import {
  DEFAULT_NATIONAL_TREE,
  NATIONAL_ROOT_CODE,
  NATIONAL_TREES,
  type NationalTreeName,
} from '../domain/units/national';
import type { UnitInput } from '../domain/units/tree';

export function benchTree(
  provinces?: number,
  tree: NationalTreeName = DEFAULT_NATIONAL_TREE,
): UnitInput[] {
  const all = NATIONAL_TREES[tree].load();
  if (provinces === undefined) return all;
  const keep = new Set<string>([NATIONAL_ROOT_CODE]);
  let taken = 0;
  for (const u of all) {
    if (u.parentCode === NATIONAL_ROOT_CODE) {
      if (taken < provinces) {
        keep.add(u.code);
        taken++;
      }
    } else if (u.parentCode !== null && keep.has(u.parentCode)) {
      keep.add(u.code);
    }
  }
  return all.filter((u) => keep.has(u.code));
}

export function childrenMap(units: UnitInput[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const u of units) {
    if (u.parentCode === null) continue;
    const list = map.get(u.parentCode) ?? [];
    list.push(u.code);
    map.set(u.parentCode, list);
  }
  for (const list of map.values()) list.sort();
  return map;
}
