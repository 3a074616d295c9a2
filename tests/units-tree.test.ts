import { nationalTree } from '../domain/units/national-2019-tree';
import { national2025Tree } from '../domain/units/national-2025-tree';
import { NATIONAL_TREES } from '../domain/units/national';
import { demoTree } from '../domain/units/demo-tree';
import {
  planUnitTree,
  UnitTreeError,
  type ExistingUnit,
  type UnitInput,
  type UnitTreePlan,
} from '../domain/units/tree';

const unit = (code: string, parentCode: string | null, level = 'unit'): UnitInput => ({
  code,
  name: `Unit ${code}`,
  level,
  parentCode,
});

/** Stored rows as the database would hold them after importing `units`. */
function stored(units: UnitInput[]): Map<string, ExistingUnit> {
  const plan = planUnitTree(units, new Map());
  return new Map(plan.units.map((u) => [u.code, u]));
}

function rejection(run: () => UnitTreePlan): UnitTreeError {
  try {
    run();
  } catch (err) {
    if (err instanceof UnitTreeError) return err;
    throw err;
  }
  throw new Error('expected a UnitTreeError');
}

const paths = (plan: UnitTreePlan) =>
  Object.fromEntries([...plan.units, ...plan.moved].map((u) => [u.code, [u.path, u.depth]]));

describe('planUnitTree', () => {
  test('when a 4-level tree is planned then every unit gets the path of its ancestors and its depth', () => {
    const plan = planUnitTree(
      [unit('R', null), unit('P', 'R'), unit('D', 'P'), unit('C', 'D')],
      new Map(),
    );
    expect(paths(plan)).toEqual({
      R: ['/R/', 0],
      P: ['/R/P/', 1],
      D: ['/R/P/D/', 2],
      C: ['/R/P/D/C/', 3],
    });
  });

  test('when children come before their parents in the batch then the plan lists parents first', () => {
    const plan = planUnitTree([unit('C', 'D'), unit('D', 'R'), unit('R', null)], new Map());
    expect(plan.units.map((u) => u.code)).toEqual(['R', 'D', 'C']);
  });

  test('when a 2-level tree is planned then its levels are whatever the data says', () => {
    const plan = planUnitTree(
      [unit('HN', null, 'province'), unit('HN-1', 'HN', 'commune'), unit('HN-2', 'HN', 'commune')],
      new Map(),
    );
    expect(plan.units.map((u) => [u.code, u.level, u.depth])).toEqual([
      ['HN', 'province', 0],
      ['HN-1', 'commune', 1],
      ['HN-2', 'commune', 1],
    ]);
  });

  test('when the parent is already stored then the new unit extends the stored path', () => {
    const existing = stored([unit('R', null), unit('P', 'R')]);
    const plan = planUnitTree([unit('D', 'P')], existing);
    expect(paths(plan)).toEqual({ D: ['/R/P/D/', 2] });
  });

  test('when a code appears twice in a batch then DUPLICATE_CODE names it', () => {
    const err = rejection(() =>
      planUnitTree([unit('R', null), unit('A', 'R'), unit('A', 'R')], new Map()),
    );
    expect(err.code).toBe('DUPLICATE_CODE');
    expect(err.details).toEqual(['A']);
  });

  test('when a parent is neither in the batch nor stored then UNKNOWN_PARENT names the child', () => {
    const err = rejection(() =>
      planUnitTree([unit('R', null), unit('A', 'NOPE')], stored([unit('X', null)])),
    );
    expect(err.code).toBe('UNKNOWN_PARENT');
    expect(err.details).toEqual(['A']);
    expect(err.message).toContain('A (parent NOPE)');
  });

  test('when units of a batch form a cycle then CYCLE names the units on it', () => {
    const err = rejection(() =>
      planUnitTree(
        [unit('R', null), unit('A', 'C'), unit('B', 'A'), unit('C', 'B'), unit('D', 'A')],
        new Map(),
      ),
    );
    expect(err.code).toBe('CYCLE');
    expect([...err.details].sort()).toEqual(['A', 'B', 'C']);
  });

  test('when a unit is its own parent then CYCLE names it', () => {
    const err = rejection(() => planUnitTree([unit('A', 'A')], new Map()));
    expect(err.code).toBe('CYCLE');
    expect(err.details).toEqual(['A']);
  });

  test('when a stored unit is re-parented under its own descendant then CYCLE names the loop', () => {
    const existing = stored([unit('R', null), unit('A', 'R'), unit('B', 'A'), unit('C', 'B')]);
    const err = rejection(() => planUnitTree([unit('A', 'C')], existing));
    expect(err.code).toBe('CYCLE');
    expect([...err.details].sort()).toEqual(['A', 'B', 'C']);
  });

  test('when a stored unit is re-parented then its stored descendants get new paths', () => {
    const existing = stored([
      unit('R', null),
      unit('A', 'R'),
      unit('B', 'A'),
      unit('C', 'B'),
      unit('X', 'R'),
    ]);
    const plan = planUnitTree([unit('A', 'X')], existing);
    expect(paths(plan)).toEqual({
      A: ['/R/X/A/', 2],
      B: ['/R/X/A/B/', 3],
      C: ['/R/X/A/B/C/', 4],
    });
    expect(plan.moved.map((u) => u.code)).toEqual(['B', 'C']);
  });

  test('when the same batch is planned over its own stored rows then nothing moves', () => {
    const batch = [unit('R', null), unit('A', 'R'), unit('B', 'A')];
    const plan = planUnitTree(batch, stored(batch));
    expect(plan.moved).toEqual([]);
    expect(paths(plan)).toEqual({ R: ['/R/', 0], A: ['/R/A/', 1], B: ['/R/A/B/', 2] });
  });

  test('when a code contains the path separator then INVALID_CODE names it', () => {
    const err = rejection(() => planUnitTree([unit('R', null), unit('A/1', 'R')], new Map()));
    expect(err.code).toBe('INVALID_CODE');
    expect(err.details).toEqual(['A/1']);
  });

  test('when the 2025 national tree is planned then it has one root, 34 provinces and 3,321 communes in two levels', () => {
    const plan = planUnitTree(national2025Tree(), new Map());
    const byLevel = (level: string) => plan.units.filter((u) => u.level === level);
    expect(plan.units).toHaveLength(3356);
    expect(byLevel('central').map((u) => [u.code, u.depth])).toEqual([['VN', 0]]);
    expect(byLevel('province')).toHaveLength(34);
    expect(byLevel('district')).toHaveLength(0);
    const communes = byLevel('commune');
    expect(communes).toHaveLength(3321);
    expect(communes.every((u) => u.depth === 2 && /^\/VN\/P\d{2}\/X\d{5}\/$/.test(u.path))).toBe(
      true,
    );
    const kinds = (prefix: string) => communes.filter((u) => u.name.startsWith(prefix)).length;
    expect([kinds('Xã '), kinds('Phường '), kinds('Đặc khu ')]).toEqual([2621, 687, 13]);
    const under = (code: string) => communes.filter((u) => u.parentCode === code).length;
    expect([under('P01'), under('P79')]).toEqual([126, 168]);
  });

  test('when a national tree is named then "national" is the 2025 tree and "national-2019" the old one', () => {
    expect(NATIONAL_TREES.national.load()).toEqual(national2025Tree());
    expect(NATIONAL_TREES['national-2019'].load()).toHaveLength(11368);
  });

  test('when the 2019 national tree is planned then it has one root, 63 provinces, 705 districts and 10,599 communes', () => {
    const plan = planUnitTree(nationalTree(), new Map());
    const byLevel = (level: string) => plan.units.filter((u) => u.level === level);
    expect(plan.units).toHaveLength(11368);
    expect(byLevel('central').map((u) => u.depth)).toEqual([0]);
    expect(byLevel('province')).toHaveLength(63);
    expect(byLevel('district')).toHaveLength(705);
    expect(byLevel('commune')).toHaveLength(10599);
    expect(byLevel('commune').every((u) => u.depth === 3 && u.path.startsWith('/VN/P'))).toBe(true);
  });

  test('when the demo tree is planned then it has 1 central, 3 province, 6 district and 12 commune units', () => {
    const plan = planUnitTree(demoTree(), new Map());
    const count = (level: string) => plan.units.filter((u) => u.level === level).length;
    expect([count('central'), count('province'), count('district'), count('commune')]).toEqual([
      1, 3, 6, 12,
    ]);
    expect(plan.units.find((u) => u.code === 'VP-LT-QS')?.path).toBe(
      '/TTCS/STTTT-VP/VP-LT/VP-LT-QS/',
    );
  });
});
