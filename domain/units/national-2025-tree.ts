/**
 * Vietnam's administrative tree since 1 July 2025: the central root, 34 provinces and
 * 3,321 communes (2,621 xã, 687 phường, 13 đặc khu), with no district level.
 *
 * Data: `vn-2025-units.json` beside this file, generated from the PyPI package
 * `vietnam-provinces` 2025.10.1 (`data/nested-divisions.json`; official GSO codes and
 * names; the package is GPL-3.0-or-later). Regenerate it with
 * `python3 scripts/generate-vn-2025-tree.py`; do not edit the JSON by hand.
 *
 * Codes: `VN` for the root, `P` + 2-digit official province code (Hà Nội = `P01`),
 * `X` + 5-digit official commune code. Units come parents first, sorted by code within a level.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { UnitInput } from './tree';

/** Expected sizes of the 2025 tree (the root not counted). */
export const NATIONAL_2025_COUNTS = { provinces: 34, communes: 3321 } as const;

interface Units2025File {
  source: string;
  units: UnitInput[];
}

/**
 * The whole 2025 tree as unit inputs: the root `VN` (level `central`), then the provinces
 * (level `province`, parent `VN`), then the communes (level `commune`, parent their
 * province), parents before children. Reads `vn-2025-units.json` at call time (it is
 * deliberately not `import`ed, to keep type-checking fast); each call returns a fresh array.
 */
export function national2025Tree(): UnitInput[] {
  const file = path.join(__dirname, 'vn-2025-units.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Units2025File;
  return data.units.map((u) => ({
    code: u.code,
    name: u.name,
    level: u.level,
    parentCode: u.parentCode,
  }));
}
