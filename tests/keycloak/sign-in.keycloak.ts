/**
 * The realm compose imports into Keycloak (deploy/keycloak/cascade-realm.json), on a real
 * Keycloak of the pinned version: a demo person signs in on Keycloak's own login page and the
 * API finds their unit, roles, name and position in its claims with the default claim
 * configuration, exactly as with the local provider. Run by `npm run test:keycloak`.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureKeycloak, startKeycloak, type RunningKeycloak } from '../../stack/keycloak';
import { freePort } from '../../stack/ports';
import { stackState, uniqueSuffix } from '../harness/stack';
import { putDemoTree, startApiStack, type ApiStack } from '../api/helpers';
import { CookieJar, browse, follow } from '../api/sign-in-stack';

jest.setTimeout(300_000);

const SECRET = 'keycloak-client-secret-1234';
let keycloak: RunningKeycloak;
let api: ApiStack;
let server: Server;
let base = '';

beforeAll(async () => {
  const home = await ensureKeycloak();
  const port = await freePort();
  // The API listens first: Keycloak's realm import registers its origin as the redirect URI.
  const issuer = `http://localhost:${port}/realms/cascade`;
  api = await startApiStack({
    env: { DATABASE_URL: stackState().databaseUrl, OIDC_ISSUER: issuer, OIDC_CLIENT_SECRET: SECRET, SESSION_SECRET: 'k'.repeat(40) },
  });
  await putDemoTree(api.app);
  server = await new Promise<Server>((resolve) => {
    const s = api.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  keycloak = await startKeycloak(home, port, { OIDC_CLIENT_SECRET: SECRET, DASHBOARD_ORIGIN: base }, path.join(os.tmpdir(), `keycloak-${uniqueSuffix()}.log`));
});

afterAll(async () => {
  await keycloak?.stop();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await api?.close();
});

/** Keycloak's login page: its form's action (HTML-escaped in the page). */
function loginAction(html: string): string {
  const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no Keycloak login form in: ${html.slice(0, 300)}`);
  return action.replace(/&amp;/g, '&');
}

test("a province officer signs in on Keycloak's page and is the person of the session, with the unit and role of the realm", async () => {
  const jar = new CookieJar();
  const page = await follow(jar, `${base}/auth/login`);
  expect(page.url.startsWith(`${keycloak.issuer}/protocol/openid-connect/auth`)).toBe(true);
  const done = await follow(jar, loginAction(await page.res.text()), {
    method: 'POST',
    body: new URLSearchParams({ username: 'chuyenvien.tinh@demo.gov.vn', password: 'chuyenvien-tinh' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(done.url).toBe(`${base}/dashboard/`);
  const session = await (await browse(jar, `${base}/api/v1/dashboard/session`)).json();
  expect(session).toMatchObject({
    kind: 'unit',
    unit: { code: 'STTTT-VP' },
    person: { name: 'Đỗ Văn Nam', position: 'Chuyên viên' },
    roles: ['officer'],
  });
});

test("a wrong password stays on Keycloak's page", async () => {
  const jar = new CookieJar();
  const page = await follow(jar, `${base}/auth/login`);
  const done = await follow(jar, loginAction(await page.res.text()), {
    method: 'POST',
    body: new URLSearchParams({ username: 'chuyenvien.tinh@demo.gov.vn', password: 'wrong' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(done.url.startsWith(keycloak.issuer)).toBe(true);
  expect((await (await browse(jar, `${base}/auth/session`)).json()) as object).toMatchObject({ signedIn: false });
});
