/**
 * Who may not sign in, and where people's units and roles come from: from the provider's
 * claims (the default) a person needs a known unit and a role; from the records
 * (OIDC_PEOPLE_FROM=records) only a recorded person signs in, with the recorded unit and roles.
 */
import path from 'node:path';
import request from 'supertest';
import { freePort } from '../../stack/ports';
import { stackState } from '../harness/stack';
import { ADMIN, bearer, putDemoTree, startApiStack } from './helpers';
import { CookieJar, browse, signIn, startSignInStack, type SignInStack } from './sign-in-stack';

jest.setTimeout(120_000);

const PEOPLE = path.resolve(__dirname, '..', 'fixtures', 'oidc-people.json');
const stacks: SignInStack[] = [];
afterAll(async () => Promise.all(stacks.map((s) => s.close())));

async function stackFrom(peopleFrom: 'claims' | 'records'): Promise<SignInStack> {
  const stack = await startSignInStack({ peopleFile: PEOPLE, env: { OIDC_PEOPLE_FROM: peopleFrom } });
  stacks.push(stack);
  await putDemoTree(stack.api.app);
  return stack;
}

test('from the claims: a person without a role, or of a unit not in the tree, is refused and told why', async () => {
  const stack = await stackFrom('claims');
  const noRole = await signIn(stack, new CookieJar(), 'khongvaitro@test.gov.vn', 'pw-noroles');
  expect(noRole.url).toBe(`${stack.base}/dashboard/?signin=NO_ROLE`);
  const noUnit = await signIn(stack, new CookieJar(), 'khongdonvi@test.gov.vn', 'pw-nounit');
  expect(noUnit.url).toBe(`${stack.base}/dashboard/?signin=NO_UNIT`);
});

test('from the records: an unrecorded person is refused; a recorded one gets the recorded unit and roles, not the claimed ones', async () => {
  const stack = await stackFrom('records');
  const stranger = await signIn(stack, new CookieJar(), 'lavien@test.gov.vn', 'pw-stranger');
  expect(stranger.url).toBe(`${stack.base}/dashboard/?signin=NOT_RECORDED`);

  await request(stack.api.app)
    .post('/api/v1/people')
    .set(bearer(ADMIN))
    .send({ name: 'Đã Hồ Sơ', email: 'dahoso@test.gov.vn', unitCode: 'VP-LT-QS', roles: ['clerk'] })
    .expect((res) => expect([201, 409]).toContain(res.status));
  const jar = new CookieJar();
  const done = await signIn(stack, jar, 'dahoso@test.gov.vn', 'pw-recorded');
  expect(done.url).toBe(`${stack.base}/dashboard/`);
  const session = await (await browse(jar, `${stack.base}/api/v1/dashboard/session`)).json();
  expect(session).toMatchObject({ unit: { code: 'VP-LT-QS' }, roles: ['clerk'] });
});

test('a provider that does not answer, or names itself another issuer than configured, sends the browser back with UNAVAILABLE', async () => {
  const stack = await stackFrom('claims');
  const env = { DATABASE_URL: stackState().databaseUrl, OIDC_CLIENT_SECRET: 'x'.repeat(16), SESSION_SECRET: 'y'.repeat(32) };
  const away = await startApiStack({ env: { ...env, OIDC_ISSUER: `http://127.0.0.1:${await freePort()}` } });
  // The metadata read at OIDC_DISCOVERY_URL says the issuer is 127.0.0.1, not localhost.
  const other = await startApiStack({
    env: { ...env, OIDC_ISSUER: stack.provider.issuer.replace('127.0.0.1', 'localhost'), OIDC_DISCOVERY_URL: stack.provider.issuer },
  });
  try {
    for (const api of [away, other]) {
      const res = await request(api.app).get('/auth/login').expect(303);
      expect(res.headers.location).toMatch(/\/dashboard\/\?signin=UNAVAILABLE$/);
    }
  } finally {
    await away.close();
    await other.close();
  }
});
