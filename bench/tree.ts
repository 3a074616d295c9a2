/** The benchmark's tree: the national tree, or its root with only the first K provinces. */
import { NATIONAL_ROOT_CODE, nationalTree } from '../domain/units/national-2019-tree';
import type { UnitInput } from '../domain/units/tree';

export function benchTree(provinces?: number): UnitInput[] {
  const all = nationalTree();
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
