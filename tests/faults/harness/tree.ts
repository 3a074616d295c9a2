/**
 * The unit trees the fault cases cascade over: the first provinces of the 2025 national
 * tree (root VN, provinces, communes) until a cascade reaches at least `minAssignments`
 * units, or the 22-unit demo tree for the fast subset.
 */
import { demoTree } from '../../../domain/units/demo-tree';
import { national2025Tree } from '../../../domain/units/national-2025-tree';
import type { UnitInput } from '../../../domain/units/tree';

export interface FaultTree {
  /** Every unit to import, the issuer first. */
  units: UnitInput[];
  /** The issuing unit (the root); it has no assignment. */
  issuerCode: string;
  /** The units a cascade from the issuer reaches: one assignment each. */
  recipients: UnitInput[];
}

/** Root VN plus the first 2025 provinces (by code) with their communes, until ≥ minAssignments. */
export function national2025Slice(minAssignments: number): FaultTree {
  const all = national2025Tree();
  const root = all.find((u) => u.parentCode === null)!;
  const communesOf = new Map<string, UnitInput[]>();
  for (const u of all) {
    if (u.level !== 'commune' || !u.parentCode) continue;
    const list = communesOf.get(u.parentCode) ?? [];
    list.push(u);
    communesOf.set(u.parentCode, list);
  }
  const recipients: UnitInput[] = [];
  for (const province of all.filter((u) => u.parentCode === root.code)) {
    if (recipients.length >= minAssignments) break;
    recipients.push(province, ...(communesOf.get(province.code) ?? []));
  }
  return { units: [root, ...recipients], issuerCode: root.code, recipients };
}

/** The demo tree: TTCS, three provinces, their districts and communes (21 assignments). */
export function demoFaultTree(): FaultTree {
  const units = demoTree();
  const root = units.find((u) => u.parentCode === null)!;
  return { units, issuerCode: root.code, recipients: units.filter((u) => u !== root) };
}
