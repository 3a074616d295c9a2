/**
 * Who is told, through the API: a unit's contacts managed by the unit itself and by the
 * admin, addresses validated, and the units nobody would be told about listed. Each test
 * works in its own small tree (unique codes) in the run's shared database.
 */
import request from 'supertest';
import { ADMIN, bearer, startApiStack, tokenFor, type ApiStack } from './helpers';
import { uniqueSuffix } from '../harness/stack';

let stack: ApiStack;
const sfx = uniqueSuffix().toUpperCase();
const ROOT = `R${sfx}`;
const A = `A${sfx}`;
const B = `B${sfx}`;
let tokenA: string;
let tokenB: string;
let tokenRoot: string;

beforeAll(async () => {
  stack = await startApiStack();
  await request(stack.app)
    .put('/api/v1/units')
    .set(bearer(ADMIN))
    .send({
      units: [
        { code: ROOT, name: 'Sở thử', level: 'province', parentCode: null },
        { code: A, name: 'Xã A', level: 'commune', parentCode: ROOT },
        { code: B, name: 'Xã B', level: 'commune', parentCode: ROOT },
      ],
    })
    .expect(200);
  tokenA = (await tokenFor(stack.app, A)).token;
  tokenB = (await tokenFor(stack.app, B)).token;
  tokenRoot = (await tokenFor(stack.app, ROOT)).token;
});

afterAll(() => stack.close());

const contacts = (code: string) => `/api/v1/units/${code}/contacts`;

describe('contacts', () => {
  test('when a contact has an invalid address then the answer is a 400 naming the field', async () => {
    const res = await request(stack.app).post(contacts(A)).set(bearer(tokenA)).send({ name: 'Văn thư', email: 'not-an-address' }).expect(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['email'] })]));
  });

  test('when the unit adds, changes and removes a contact then each step is visible, Vietnamese and every message by default', async () => {
    const created = await request(stack.app).post(contacts(A)).set(bearer(tokenA)).send({ name: 'Văn thư xã A', email: 'vanthu@a.test' }).expect(201);
    expect(created.body).toMatchObject({ unitCode: A, email: 'vanthu@a.test', language: 'vi', delivery: 'each', personId: null });

    const listed = await request(stack.app).get(contacts(A)).set(bearer(tokenRoot)).expect(200);
    expect(listed.body.items.map((c: { email: string }) => c.email)).toEqual(['vanthu@a.test']);

    const changed = await request(stack.app)
      .put(`${contacts(A)}/${created.body.id}`)
      .set(bearer(tokenA))
      .send({ language: 'en', delivery: 'both' })
      .expect(200);
    expect(changed.body).toMatchObject({ language: 'en', delivery: 'both', email: 'vanthu@a.test' });

    await request(stack.app).post(contacts(A)).set(bearer(ADMIN)).send({ name: 'Trùng', email: 'vanthu@a.test' }).expect(409);
    await request(stack.app).delete(`${contacts(A)}/${created.body.id}`).set(bearer(tokenA)).expect(204);
    await request(stack.app).delete(`${contacts(A)}/${created.body.id}`).set(bearer(tokenA)).expect(404);
    expect((await request(stack.app).get(contacts(A)).set(bearer(tokenA)).expect(200)).body.items).toEqual([]);
  });

  test("when another unit's token or the unit above changes a unit's contacts then it is refused", async () => {
    await request(stack.app).post(contacts(A)).set(bearer(tokenB)).send({ name: 'X', email: 'x@b.test' }).expect(403);
    await request(stack.app).post(contacts(A)).set(bearer(tokenRoot)).send({ name: 'X', email: 'x@r.test' }).expect(403);
    await request(stack.app).get(contacts(ROOT)).set(bearer(tokenB)).expect(403);
  });

  test('when units have no contact told every message then they are listed as unreachable, until one is added', async () => {
    const unreachable = async (token: string, under?: string) => {
      const res = await request(stack.app)
        .get('/api/v1/contacts/unreachable')
        .query(under ? { under } : {})
        .set(bearer(token))
        .expect(200);
      return res.body.items.map((u: { code: string }) => u.code);
    };
    expect(await unreachable(tokenRoot)).toEqual([ROOT, A, B]);

    await request(stack.app).post(contacts(A)).set(bearer(tokenA)).send({ name: 'Văn thư', email: 'vt@a.test' }).expect(201);
    await request(stack.app).post(contacts(B)).set(bearer(ADMIN)).send({ name: 'Chủ tịch', email: 'ct@b.test', delivery: 'digest' }).expect(201);
    expect(await unreachable(tokenRoot)).toEqual([ROOT, B]);
    expect(await unreachable(ADMIN, ROOT)).toEqual([ROOT, B]);
    expect(await unreachable(tokenB)).toEqual([B]);
    await request(stack.app).get('/api/v1/contacts/unreachable').query({ under: ROOT }).set(bearer(tokenB)).expect(403);
  });
});
