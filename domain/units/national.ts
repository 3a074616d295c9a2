/**
 * The national unit trees by name: `national` is the administration since 1 July 2025
 * (34 provinces, 3,321 communes, no districts), `national-2019` the one before it
 * (63 provinces, 705 districts, 10,599 communes). Both hang under the root `VN` and share
 * province codes (a province kept in 2025 keeps its GSO code), so they are alternatives
 * for one database, not two trees to load side by side.
 */
import { NATIONAL_ROOT_CODE, nationalTree } from './national-2019-tree';
import { national2025Tree } from './national-2025-tree';
import type { UnitInput } from './tree';

export { NATIONAL_ROOT_CODE };

/** A national tree: what it is called in messages and how to load it. */
export interface NationalTree {
  label: string;
  load: () => UnitInput[];
}

export const NATIONAL_TREES = {
  national: {
    label: 'national tree (2025: 34 provinces, 3,321 communes)',
    load: national2025Tree,
  },
  'national-2019': {
    label: 'national tree before 2025 (63 provinces, 705 districts, 10,599 communes)',
    load: nationalTree,
  },
} as const satisfies Record<string, NationalTree>;

export type NationalTreeName = keyof typeof NATIONAL_TREES;

/** The default national tree, `national` (2025). */
export const DEFAULT_NATIONAL_TREE: NationalTreeName = 'national';

export function isNationalTreeName(name: string): name is NationalTreeName {
  return Object.hasOwn(NATIONAL_TREES, name);
}
