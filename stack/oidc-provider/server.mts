/**
 * The local OpenID Connect provider `npm start` and the tests run (oidc-provider, the
 * certified implementation): people sign in on its own login page with an e-mail and a
 * password from a people file, and the dashboard receives their unit, roles and position
 * as claims, exactly as it would from the government's Keycloak. Its own process because
 * oidc-provider is an ES module and the API is CommonJS.
 *
 * Configured by one JSON file (OIDC_PROVIDER_CONFIG): the issuer URL, where to listen, the
 * clients and the people file. Reports `{ type: 'ready', issuer }` over IPC when listening.
 * Sessions and grants live in memory: a restart signs everyone out of the provider (the
 * dashboard's own sessions are the API's and survive).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { generateKeyPair, exportJWK } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { loginPage, logoutPage, signedOutPage, type LoginPageText } from './login-page.mjs';

interface ProviderPerson {
  email: string;
  password: string;
  name: string;
  position: string | null;
  unitCode: string | null;
  roles: string[];
}

interface ProviderConfig {
  issuer: string;
  host: string;
  port: number;
  clients: Array<{ client_id: string; client_secret: string; redirect_uris: string[]; post_logout_redirect_uris?: string[] }>;
  peopleFile: string;
}

const configFile = process.env.OIDC_PROVIDER_CONFIG;
if (!configFile) throw new Error('OIDC_PROVIDER_CONFIG must name the provider configuration file');
const config = JSON.parse(fs.readFileSync(configFile, 'utf8')) as ProviderConfig;
const people = (JSON.parse(fs.readFileSync(path.resolve(config.peopleFile), 'utf8')) as { people: ProviderPerson[] }).people;
const byEmail = new Map(people.map((p) => [p.email.toLowerCase(), p]));

/** The claims the API maps to a person (api/oidc/claims.ts): who, their unit, roles, position. */
const CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name'],
  cascade: ['unit_code', 'roles', 'position'],
};

/** A signing key of its own per start: the ID tokens of an earlier run are not needed. */
async function signingKey() {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: 'local', use: 'sig', alg: 'RS256' };
}

function configuration(signing: Awaited<ReturnType<typeof signingKey>>): Configuration {
  return {
  clients: config.clients.map((c) => ({
    ...c,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  claims: CLAIMS,
  scopes: ['openid', 'email', 'profile', 'cascade'],
  pkce: { required: () => true },
  jwks: { keys: [signing] },
  cookies: { keys: [crypto.randomUUID(), crypto.randomUUID()] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: (ctx, form) => {
        ctx.body = logoutPage(form);
      },
      postLogoutSuccessSource: (ctx) => {
        ctx.body = signedOutPage();
      },
    },
  },
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: (_ctx, sub) => {
    const person = byEmail.get(sub);
    if (!person) return undefined;
    return {
      accountId: sub,
      claims: () => ({
        sub,
        email: person.email,
        email_verified: true,
        name: person.name,
        unit_code: person.unitCode,
        roles: person.roles,
        position: person.position,
      }),
    };
  },
  // The dashboard is the provider's own first-party client: no consent screen, every scope
  // it asks for is granted (what Keycloak does with "Consent required" off).
  loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
    const { session, client, params } = ctx.oidc;
    if (!session?.accountId || !client) return undefined;
    const existing = session.grantIdFor(client.clientId);
    if (existing) return ctx.oidc.provider.Grant.find(existing);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope(String(params?.scope ?? 'openid'));
    await grant.save();
    return grant;
  },
  ttl: { Session: 8 * 3600, Interaction: 15 * 60, AuthorizationCode: 60, AccessToken: 3600, IdToken: 3600, Grant: 8 * 3600 },
  };
}

const TEXT: LoginPageText = {
  title: 'Đăng nhập',
  email: 'Thư điện tử',
  password: 'Mật khẩu',
  submit: 'Đăng nhập',
  failed: 'Thư điện tử hoặc mật khẩu không đúng.',
};

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function send(res: http.ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:",
  });
  res.end(html);
}

/** The login interaction: a form, then a password check against the people file. */
async function interaction(provider: Provider, req: http.IncomingMessage, res: http.ServerResponse, uid: string, submitted: boolean): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) return send(res, 400, 'interaction mismatch');
  const action = `/interaction/${uid}/login`;
  if (!submitted) return send(res, 200, loginPage(TEXT, { action }));
  const form = await readForm(req);
  const email = (form.get('email') ?? '').trim().toLowerCase();
  const person = byEmail.get(email);
  if (!person || person.password !== form.get('password')) {
    return send(res, 401, loginPage(TEXT, { action, email, failed: true }));
  }
  await provider.interactionFinished(req, res, { login: { accountId: email } }, { mergeWithLastSubmission: false });
}

async function main(): Promise<void> {
  const provider = new Provider(config.issuer, configuration(await signingKey()));
  provider.proxy = true;
  const handle = provider.callback();
  const server = http.createServer((req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(new URL(req.url ?? '/', config.issuer).pathname);
    if (!match) return void handle(req, res);
    const submitted = match[2] === '/login' && req.method === 'POST';
    interaction(provider, req, res, match[1]!, submitted).catch((err: unknown) => {
      process.stderr.write(`interaction failed: ${err instanceof Error ? err.message : String(err)}\n`);
      if (!res.headersSent) send(res, 400, 'Phiên đăng nhập đã hết hạn. Hãy quay lại trang của hệ thống và đăng nhập lại.');
    });
  });
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  process.stderr.write(`OIDC provider ${config.issuer} (${people.length} people)\n`);
  process.send?.({ type: 'ready', issuer: config.issuer });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      server.close(() => process.exit(0));
      server.closeAllConnections();
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`OIDC provider failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
