/**
 * People sign in through OpenID Connect against the real local provider (its own login page,
 * authorization code with PKCE), and act with the session cookie: roles enforced, CSRF token
 * required for changes, sign-out, the absolute timeout, cookie attributes, refusals.
 */
import request from 'supertest';
import { ADMIN, bearer, putDemoTree } from './helpers';
import { CookieJar, browse, signIn, startSignInStack, type SignInStack } from './sign-in-stack';

jest.setTimeout(120_000);

let stack: SignInStack;

beforeAll(async () => {
  stack = await startSignInStack();
  await putDemoTree(stack.api.app);
});
afterAll(async () => stack?.close());

/** Signs in and returns the jar and the session's CSRF token. */
async function signedIn(email: string, password: string): Promise<{ jar: CookieJar; csrf: string }> {
  const jar = new CookieJar();
  const done = await signIn(stack, jar, email, password);
  expect(done.url).toBe(`${stack.base}/dashboard/`);
  const status = await (await browse(jar, `${stack.base}/auth/session`)).json();
  expect(status).toMatchObject({ signIn: true, signedIn: true });
  return { jar, csrf: (status as { csrfToken: string }).csrfToken };
}

const directive = (number: string) => ({
  number,
  kind: 'CONG_VAN',
  title: 'Tuyên truyền kỷ niệm ngày thành lập tỉnh',
  issuerCode: 'STTTT-VP',
  issuedAt: new Date().toISOString(),
  recipients: ['VP-LT'],
  policy: { ackWithin: 'P2D' },
});

test('a commune clerk signs in on the provider and is the person of the session, with the clerk role in the commune', async () => {
  const { jar } = await signedIn('vanthu.xa@demo.gov.vn', 'vanthu-xa');
  const res = await browse(jar, `${stack.base}/api/v1/dashboard/session`);
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
    kind: 'unit',
    unit: { code: 'VP-LT-QS' },
    person: { name: 'Vũ Thị Mai', position: 'Văn thư' },
    roles: ['clerk'],
  });
  // Recorded as a person of the unit, and so one of its notification contacts.
  const people = await request(stack.api.app).get('/api/v1/units/VP-LT-QS/people').set(bearer(ADMIN)).expect(200);
  expect(people.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ email: 'vanthu.xa@demo.gov.vn', roles: ['clerk'] })]));
});

test('the session cookie is httpOnly, SameSite=Lax and not Secure over plain http, and expires after the idle time', async () => {
  const jar = new CookieJar();
  const login = await browse(jar, `${stack.base}/auth/login`);
  expect(login.status).toBe(303);
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('cascade.sid='));
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  expect(cookie).not.toMatch(/Secure/i);
  const expires = Date.parse(/Expires=([^;]+)/i.exec(cookie!)![1]!);
  expect(expires - Date.now()).toBeGreaterThan((stack.api.config.SESSION_IDLE_MINUTES - 1) * 60_000);
  expect(expires - Date.now()).toBeLessThanOrEqual(stack.api.config.SESSION_IDLE_MINUTES * 60_000 + 1000);
  // The provider is sent the PKCE challenge (S256) and state.
  const to = new URL(login.headers.get('location')!);
  expect(to.searchParams.get('code_challenge_method')).toBe('S256');
  expect(to.searchParams.get('state')).toBeTruthy();
});

test('a change made with the session needs its CSRF token; the role decides what the person may do', async () => {
  const leader = await signedIn('lanhdao.tinh@demo.gov.vn', 'lanhdao-tinh');
  const url = `${stack.base}/api/v1/directives`;
  const json = { 'content-type': 'application/json' };
  const noToken = await browse(leader.jar, url, { method: 'POST', headers: json, body: JSON.stringify(directive(`1/STTTT-${Date.now()}`)) });
  expect(noToken.status).toBe(403);
  expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe('CSRF_TOKEN_INVALID');
  const wrongToken = await browse(leader.jar, url, { method: 'POST', headers: { ...json, 'x-csrf-token': 'not-the-token' }, body: JSON.stringify(directive(`2/STTTT-${Date.now()}`)) });
  expect(wrongToken.status).toBe(403);
  const issued = await browse(leader.jar, url, { method: 'POST', headers: { ...json, 'x-csrf-token': leader.csrf }, body: JSON.stringify(directive(`3/STTTT-${Date.now()}`)) });
  expect(issued.status).toBe(201);

  const clerk = await signedIn('vanthu.tinh@demo.gov.vn', 'vanthu-tinh');
  const refused = await browse(clerk.jar, url, { method: 'POST', headers: { ...json, 'x-csrf-token': clerk.csrf }, body: JSON.stringify(directive(`4/STTTT-${Date.now()}`)) });
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/needs the leader role in STTTT-VP; this caller holds clerk/);
});

test('a wrong password stays on the provider login page with an alert; nobody is signed in', async () => {
  const jar = new CookieJar();
  const done = await signIn(stack, jar, 'vanthu.xa@demo.gov.vn', 'not-the-password');
  expect(done.res.status).toBe(401);
  expect(await done.res.text()).toContain('role="alert"');
  const status = await (await browse(jar, `${stack.base}/auth/session`)).json();
  expect(status).toMatchObject({ signedIn: false });
});

test('signing out ends the session (the cookie no longer reads anything) and names the provider end-session page', async () => {
  const { jar, csrf } = await signedIn('chuyenvien.xa@demo.gov.vn', 'chuyenvien-xa');
  const before = jar.get(stack.base, 'cascade.sid');
  const noToken = await browse(jar, `${stack.base}/auth/logout`, { method: 'POST' });
  expect(noToken.status).toBe(403);
  const out = await browse(jar, `${stack.base}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': csrf } });
  expect(out.status).toBe(200);
  const body = (await out.json()) as { endSessionUrl: string };
  expect(body.endSessionUrl.startsWith(`${stack.provider.issuer}/session/end`)).toBe(true);
  // The old cookie, replayed, is worth nothing.
  const replay = await fetch(`${stack.base}/api/v1/dashboard/session`, { headers: { cookie: `cascade.sid=${before}` } });
  expect(replay.status).toBe(401);
});

test('a session past its absolute lifetime is refused even while in use', async () => {
  const { jar } = await signedIn('chuyenvien.tinh@demo.gov.vn', 'chuyenvien-tinh');
  expect((await browse(jar, `${stack.base}/api/v1/dashboard/session`)).status).toBe(200);
  const hours = stack.api.config.SESSION_ABSOLUTE_HOURS;
  const sid = decodeURIComponent(jar.get(stack.base, 'cascade.sid')!).replace(/^s:/, '').split('.')[0]!;
  const moved = await stack.api.db.$executeRaw`
    UPDATE "WebSession" SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb((extract(epoch FROM now()) * 1000 - ${hours} * 3600000 - 1000)::bigint))::json
     WHERE sid = ${sid}`;
  expect(moved).toBe(1);
  const res = await browse(jar, `${stack.base}/api/v1/dashboard/session`);
  expect(res.status).toBe(401);
  expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/session has ended/);
});

test('a callback without a sign-in started in this browser is refused and explained on the dashboard', async () => {
  const res = await browse(new CookieJar(), `${stack.base}/auth/callback?code=x&state=y`);
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe(`${stack.base}/dashboard/?signin=EXPIRED`);
});
