/**
 * The API listening on a free port with sign-in through the real local OpenID Connect
 * provider (stack/oidc-provider), and a browser-less sign-in that walks the same redirects a
 * browser does: the API's /auth/login, the provider's login form, its redirect back to
 * /auth/callback. Cookies are kept per origin, as a browser would.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PEOPLE_FILE, startOidcProvider, type LocalOidcProvider } from '../../stack/oidc-provider';
import { freePort } from '../../stack/ports';
import { stackState, uniqueSuffix } from '../harness/stack';
import { startApiStack, type ApiStack } from './helpers';

export const CLIENT_SECRET = 'test-client-secret-0123456789';

export interface SignInStack {
  api: ApiStack;
  provider: LocalOidcProvider;
  /** http://127.0.0.1:<port> of the listening API. */
  base: string;
  close(): Promise<void>;
}

export async function startSignInStack(opts: { env?: Record<string, string>; worker?: boolean; peopleFile?: string } = {}): Promise<SignInStack> {
  const providerPort = await freePort();
  const issuer = `http://127.0.0.1:${providerPort}`;
  const api = await startApiStack({
    worker: opts.worker ?? false,
    env: {
      DATABASE_URL: stackState().databaseUrl,
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      SESSION_SECRET: `session-secret-${'s'.repeat(32)}`,
      ...opts.env,
    },
  });
  const server = await new Promise<Server>((resolve) => {
    const s = api.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = await startOidcProvider({
    port: providerPort,
    peopleFile: opts.peopleFile ?? DEMO_PEOPLE_FILE,
    client: { clientId: api.config.OIDC_CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUris: [`${base}/auth/callback`] },
    postLogoutRedirectUris: [`${base}/dashboard/`],
    dir: path.join(os.tmpdir(), `cascade-oidc-${uniqueSuffix()}`),
  });
  return {
    api,
    provider,
    base,
    async close() {
      await provider.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await api.close();
    },
  };
}

/** Cookies by origin, sent back with every request to that origin (paths ignored). */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  header(url: string): string {
    const jar = this.jars.get(new URL(url).origin);
    return jar ? [...jar].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }

  take(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || /^\s*$/.test(pair!.slice(at + 1));
      if (expired) jar.delete(name);
      else jar.set(name, pair!.slice(at + 1).trim());
    }
    this.jars.set(origin, jar);
  }

  get(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).origin)?.get(name);
  }
}

/** One request as a browser makes it: cookies of the origin sent, new ones kept, no redirect followed. */
export async function browse(jar: CookieJar, url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const cookie = jar.header(url);
  if (cookie) headers.set('cookie', cookie);
  const res = await fetch(url, { ...init, headers, redirect: 'manual' });
  jar.take(url, res);
  return res;
}

/** Follows redirects (303/302 as GET) until a page that is not a redirect; returns it and its URL. */
export async function follow(jar: CookieJar, url: string, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
  let res = await browse(jar, url, init);
  for (let hops = 0; res.status >= 300 && res.status < 400 && hops < 10; hops++) {
    url = new URL(res.headers.get('location')!, url).toString();
    res = await browse(jar, url);
  }
  return { res, url };
}

/**
 * Signs in as a browser would: /auth/login → the provider's login page → the form posted →
 * back to /auth/callback → the dashboard. Returns where it ended (the dashboard, or the
 * dashboard with ?signin=<reason>) and the provider's page when the password was refused.
 */
export async function signIn(stack: SignInStack, jar: CookieJar, email: string, password: string): Promise<{ url: string; res: Response }> {
  const login = await follow(jar, `${stack.base}/auth/login`);
  if (!login.url.includes('/interaction/')) return login;
  const form = new URLSearchParams({ email, password });
  return follow(jar, `${login.url}/login`, {
    method: 'POST',
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}
