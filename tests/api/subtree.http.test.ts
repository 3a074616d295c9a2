/**
 * Subtree checks with unit codes that hold SQL LIKE wildcards. `HN_01` and `HNX01` are
 * siblings: a prefix test done with an unescaped LIKE would let `HN_01`'s token see below
 * `HNX01` ("_" matches any one character). The code pattern of the API refuses `%`, but a
 * unit written into the database by other means may hold one, and the checks must hold
 * for it too.
 */
import request from 'supertest';
import { newToken } from '../../api/auth';
import { resolveRecipients } from '../../read-model/recipients';
import { createToken } from '../../read-model/tokens';
import { levelsBelow } from '../../read-model/unit-depth';
import { subtreeCodes, unitsReached } from '../../read-model/subtree';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, startApiStack, type ApiStack } from './helpers';

jest.setTimeout(60_000);

let stack: ApiStack;
const sfx = uniqueSuffix().toUpperCase();
const root = `W${sfx}`;
const c = (name: string) => `${root}-${name}`;
const path = (...codes: string[]) => `/${[root, ...codes].join('/')}/`;

/** Units written straight into the table, as an import that bypasses the API could. */
const units = [
  { code: root, parentCode: null, path: `/${root}/`, depth: 0 },
  { code: c('HN_01'), parentCode: root, path: path(c('HN_01')), depth: 1 },
  { code: c('HNX01'), parentCode: root, path: path(c('HNX01')), depth: 1 },
  { code: c('HNX01-A'), parentCode: c('HNX01'), path: path(c('HNX01'), c('HNX01-A')), depth: 2 },
  { code: c('P%'), parentCode: root, path: path(c('P%')), depth: 1 },
  { code: c('PQ'), parentCode: root, path: path(c('PQ')), depth: 1 },
  { code: c('PQ-A'), parentCode: c('PQ'), path: path(c('PQ'), c('PQ-A')), depth: 2 },
];

async function unitToken(code: string): Promise<string> {
  const { token, hash } = newToken();
  await createToken(stack.db, code, hash);
  return token;
}

beforeAll(async () => {
  stack = await startApiStack();
  await stack.db.unit.createMany({ data: units.map((u) => ({ ...u, name: u.code, level: `l${u.depth}` })) });
});
afterAll(() => stack.close());

describe('when unit codes hold LIKE wildcards', () => {
  test('then a subtree holds only the units below the unit itself', async () => {
    expect((await subtreeCodes(stack.db, path(c('HN_01')))).sort()).toEqual([c('HN_01')]);
    expect((await subtreeCodes(stack.db, path(c('P%')))).sort()).toEqual([c('P%')]);
    expect((await subtreeCodes(stack.db, path(c('HNX01')))).sort()).toEqual([c('HNX01'), c('HNX01-A')]);
  });

  test('then the depth below a unit and the units a directive reaches ignore look-alike siblings', async () => {
    expect(await levelsBelow(stack.db, c('HN_01'))).toBe(0);
    expect(await levelsBelow(stack.db, c('P%'))).toBe(0);
    expect(await unitsReached(stack.db, [c('HN_01'), c('P%')])).toBe(2);
    expect(await unitsReached(stack.db, [root])).toBe(units.length);
  });

  test('then a document cannot be addressed to a look-alike sibling subtree', async () => {
    expect(await resolveRecipients(stack.db, c('HN_01'), [c('HNX01-A')])).toEqual({ outside: [c('HNX01-A')] });
    expect(await resolveRecipients(stack.db, c('P%'), [c('PQ-A')])).toEqual({ outside: [c('PQ-A')] });
  });

  test('then a token of HN_01 or P% reads neither its look-alike sibling nor the assignments below it', async () => {
    const id = `subtree-${sfx}`;
    await stack.db.directive.create({
      data: { id, number: id, kind: 'Công văn', title: 'x', issuerCode: root, issuedAt: new Date(), rootId: id, status: 'ACTIVE' },
    });
    await stack.db.assignment.createMany({
      data: units
        .filter((u) => u.depth > 0)
        .map((u) => ({
          id: `${id}/${u.code}`,
          directiveId: id,
          unitCode: u.code,
          level: `l${u.depth}`,
          depth: u.depth,
          parentUnitCode: u.parentCode,
          receivedDirectiveId: id,
          stage: 'DELIVERED',
          mustConcretize: false,
          isLeaf: u.depth === 2,
          deliveredAt: new Date(),
        })),
    });
    for (const [own, sibling] of [
      [c('HN_01'), c('HNX01-A')],
      [c('P%'), c('PQ-A')],
    ] as const) {
      const token = await unitToken(own);
      const list = await request(stack.app).get(`/api/v1/directives/${id}/assignments`).set(bearer(token)).expect(200);
      expect(list.body.items.map((a: { unitCode: string }) => a.unitCode)).toEqual([own]);
      await request(stack.app)
        .get(`/api/v1/directives/${id}/units/${encodeURIComponent(sibling)}`)
        .set(bearer(token))
        .expect(403);
    }
    const all = await request(stack.app).get(`/api/v1/directives/${id}/assignments`).set(bearer(ADMIN)).expect(200);
    expect(all.body.total).toBe(units.length - 1);
  });
});
