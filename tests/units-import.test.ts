import type { Db } from '../read-model/db';
import { demoTree } from '../domain/units/demo-tree';
import { national2025Tree } from '../domain/units/national-2025-tree';
import { UnitTreeError, type UnitInput } from '../domain/units/tree';
import { childrenOf, getUnit, isDescendant, upsertUnits } from '../read-model/units';
import { testDb, uniqueSuffix } from './harness/stack';

let db: Db;

beforeAll(() => {
  db = testDb();
});

afterAll(async () => {
  await db.$disconnect();
});

/** Codes unique to one test, since every test file shares one database. */
function namespaced(): (code: string) => string {
  const prefix = `T${uniqueSuffix()}-`;
  return (code) => prefix + code;
}

const unit = (code: string, parentCode: string | null, level = 'unit'): UnitInput => ({
  code,
  name: `Unit ${code}`,
  level,
  parentCode,
});

async function countWithPrefix(prefix: string): Promise<number> {
  return db.unit.count({ where: { code: { startsWith: prefix } } });
}

async function levelsUnder(rootCode: string): Promise<Record<string, number>> {
  const rows = await db.unit.groupBy({
    by: ['level'],
    where: { path: { startsWith: `/${rootCode}/` } },
    _count: { _all: true },
  });
  return Object.fromEntries(rows.map((r) => [r.level, r._count._all]));
}

async function rejectionOf(promise: Promise<unknown>): Promise<UnitTreeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (err instanceof UnitTreeError) return err;
  throw new Error(`expected a UnitTreeError, got ${String(err)}`);
}

describe('unit tree import', () => {
  test('when the 2025 national tree is imported then every level has the GSO count', async () => {
    const result = await upsertUnits(db, national2025Tree());

    expect(result.created + result.updated + result.unchanged).toBe(3356);
    expect(await levelsUnder('VN')).toEqual({ central: 1, province: 34, commune: 3321 });
    const hanoi = await getUnit(db, 'P01');
    expect(hanoi).toMatchObject({
      name: 'Thành phố Hà Nội',
      parentCode: 'VN',
      path: '/VN/P01/',
      depth: 1,
    });
    expect(hanoi?.children).toHaveLength(126);
    expect(hanoi?.children.every((c) => c.level === 'commune' && c.depth === 2)).toBe(true);
    expect(await childrenOf(db, 'P79')).toHaveLength(168);
  });

  test('when the 2025 national tree is imported again then everything is unchanged and no row is written', async () => {
    await upsertUnits(db, national2025Tree());
    const before = await db.unit.findMany({
      where: { path: { startsWith: '/VN/' } },
      select: { code: true, updatedAt: true },
    });

    const result = await upsertUnits(db, national2025Tree());

    expect(result).toEqual({ created: 0, updated: 0, unchanged: 3356, moved: 0 });
    const after = await db.unit.findMany({
      where: { path: { startsWith: '/VN/' } },
      select: { code: true, updatedAt: true },
    });
    const stamp = (rows: typeof before) =>
      Object.fromEntries(rows.map((r) => [r.code, r.updatedAt.getTime()]));
    expect(stamp(after)).toEqual(stamp(before));
  });

  test('when a unit names an unknown parent then the batch is rejected and nothing is written', async () => {
    const c = namespaced();
    const batch = [unit(c('R'), null), unit(c('A'), c('R')), unit(c('B'), c('MISSING'))];

    const err = await rejectionOf(upsertUnits(db, batch));

    expect(err.code).toBe('UNKNOWN_PARENT');
    expect(err.details).toEqual([c('B')]);
    expect(await countWithPrefix(c(''))).toBe(0);
  });

  test('when units of a batch form a cycle then the batch is rejected and nothing is written', async () => {
    const c = namespaced();
    const batch = [unit(c('R'), null), unit(c('A'), c('B')), unit(c('B'), c('A'))];

    const err = await rejectionOf(upsertUnits(db, batch));

    expect(err.code).toBe('CYCLE');
    expect([...err.details].sort()).toEqual([c('A'), c('B')]);
    expect(await countWithPrefix(c(''))).toBe(0);
  });

  test('when a stored unit is re-parented under its own descendant then it is rejected and the tree is unchanged', async () => {
    const c = namespaced();
    await upsertUnits(db, [
      unit(c('R'), null),
      unit(c('A'), c('R')),
      unit(c('B'), c('A')),
      unit(c('C'), c('B')),
    ]);

    const err = await rejectionOf(upsertUnits(db, [unit(c('A'), c('C'))]));

    expect(err.code).toBe('CYCLE');
    expect([...err.details].sort()).toEqual([c('A'), c('B'), c('C')]);
    expect(await getUnit(db, c('A'))).toMatchObject({
      parentCode: c('R'),
      path: `/${c('R')}/${c('A')}/`,
    });
  });

  test('when a stored unit is re-parented then it and its stored descendants get new paths', async () => {
    const c = namespaced();
    await upsertUnits(db, [
      unit(c('R'), null),
      unit(c('A'), c('R')),
      unit(c('B'), c('A')),
      unit(c('X'), c('R')),
    ]);

    const result = await upsertUnits(db, [unit(c('A'), c('X'))]);

    expect(result).toEqual({ created: 0, updated: 1, unchanged: 0, moved: 1 });
    expect(await getUnit(db, c('B'))).toMatchObject({
      path: `/${c('R')}/${c('X')}/${c('A')}/${c('B')}/`,
      depth: 3,
    });
    expect(await isDescendant(db, c('X'), c('B'))).toBe(true);
  });

  test('when a 2-level tree is imported then its units, children and descendants read back', async () => {
    const c = namespaced();
    const batch = [
      unit(c('HN'), null, 'province'),
      unit(c('HN-1'), c('HN'), 'commune'),
      unit(c('HN-2'), c('HN'), 'commune'),
      unit(c('HP'), null, 'province'),
    ];

    const result = await upsertUnits(db, batch);

    expect(result).toEqual({ created: 4, updated: 0, unchanged: 0, moved: 0 });
    const hn = await getUnit(db, c('HN'));
    expect(hn).toMatchObject({ level: 'province', depth: 0, path: `/${c('HN')}/` });
    expect(hn?.children.map((u) => [u.code, u.level, u.depth])).toEqual([
      [c('HN-1'), 'commune', 1],
      [c('HN-2'), 'commune', 1],
    ]);
    expect((await childrenOf(db, c('HP'))).length).toBe(0);
    expect(await isDescendant(db, c('HN'), c('HN-2'))).toBe(true);
    expect(await isDescendant(db, c('HP'), c('HN-2'))).toBe(false);
    expect(await isDescendant(db, c('HN-1'), c('HN'))).toBe(false);
    expect(await isDescendant(db, c('HN'), c('HN'))).toBe(false);
  });

  test('when a unit is renamed then only that unit is updated', async () => {
    const c = namespaced();
    const batch = [unit(c('R'), null), unit(c('A'), c('R')), unit(c('B'), c('R'))];
    await upsertUnits(db, batch);

    const stamps = async () =>
      db.unit.findMany({
        where: { code: { in: [c('A'), c('B')] } },
        select: { updatedAt: true },
        orderBy: { code: 'asc' },
      });
    const [a0, b0] = await stamps();

    const result = await upsertUnits(db, [batch[0]!, { ...batch[1]!, name: 'Renamed' }, batch[2]!]);

    expect(result).toEqual({ created: 0, updated: 1, unchanged: 2, moved: 0 });
    expect((await getUnit(db, c('A')))?.name).toBe('Renamed');
    const [a1, b1] = await stamps();
    expect(a1!.updatedAt.getTime()).toBeGreaterThan(a0!.updatedAt.getTime());
    expect(b1!.updatedAt).toEqual(b0!.updatedAt);
    // Raw SQL writes UTC like Prisma does: a session time zone must not skew the stamp.
    expect(Math.abs(a1!.updatedAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  test('when the demo tree is imported then Cục TTCS heads 3 provinces, 6 districts and 12 communes', async () => {
    const result = await upsertUnits(db, demoTree());

    expect(result.created + result.unchanged).toBe(22);
    expect(await levelsUnder('TTCS')).toEqual({
      central: 1,
      province: 3,
      district: 6,
      commune: 12,
    });
    expect((await childrenOf(db, 'TTCS')).map((u) => u.code)).toEqual([
      'STTTT-BN',
      'STTTT-PT',
      'STTTT-VP',
    ]);
    expect(await isDescendant(db, 'STTTT-VP', 'VP-LT-QS')).toBe(true);
    expect(await isDescendant(db, 'STTTT-PT', 'VP-LT-QS')).toBe(false);
  });
});
