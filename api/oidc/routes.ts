/**
 * Sign-in through OpenID Connect (authorization code with PKCE):
 * - `GET /auth/login` sends the browser to the provider, with state, nonce and a PKCE
 *   verifier kept in the (pre-sign-in) session;
 * - `GET /auth/callback` checks them, exchanges the code, reads the claims (ID token and
 *   userinfo), finds or records the person, starts a fresh session (a new id: nothing from
 *   before sign-in carries over) and sends the browser to the dashboard; a refusal sends it
 *   to the dashboard with `?signin=<reason>`, which the sign-in page explains (as it does a
 *   provider that does not answer);
 * - `POST /auth/logout` (with the session's X-CSRF-Token) ends the session and answers where
 *   the provider ends its own (RP-initiated logout), for the dashboard to go to;
 * - `GET /auth/session` tells the dashboard whether sign-in is offered, whether this browser
 *   is signed in, and the session's CSRF token.
 * These are browser redirects, not API calls: they are not in the OpenAPI document.
 */
import { Router, type Request, type Response } from 'express';
import { generators, type BaseClient } from 'openid-client';
import type { Db } from '../../read-model/db';
import type { Config } from '../../runtime/config';
import { log } from '../../runtime/log';
import { DASHBOARD_BASE } from '../dashboard-pages';
import { SignInRefused, identityFromClaims } from './claims';
import { providerClient } from './provider-client';
import { csrf, identifySession, requireCsrfToken } from './session-principal';
import { SESSION_COOKIE } from './sessions';
import { personForSignIn } from './sign-in';

/** How long a started sign-in may take at the provider before the callback is refused. */
const PENDING_TTL_MS = 15 * 60_000;

type AuthConfig = Config & { OIDC_ISSUER: string };

/** Where the provider sends the browser back: configured, else this host's /auth/callback. */
function redirectUriFor(config: Config, req: Request): string {
  return config.OIDC_REDIRECT_URI ?? `${req.protocol}://${req.get('host')}/auth/callback`;
}

function dashboardUrl(req: Request, config: Config, query = ''): string {
  const callback = new URL(redirectUriFor(config, req));
  return `${callback.origin}${DASHBOARD_BASE}/${query}`;
}

function fail(req: Request, res: Response, config: Config, reason: string, detail: string): void {
  log('warn', 'sign-in refused', { reason, detail });
  res.redirect(303, dashboardUrl(req, config, `?signin=${encodeURIComponent(reason)}`));
}

const regenerate = (req: Request) => new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
const save = (req: Request) => new Promise<void>((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
const destroy = (req: Request) => new Promise<void>((resolve, reject) => req.session.destroy((err) => (err ? reject(err) : resolve())));

async function callback(client: BaseClient, db: Db, config: AuthConfig, req: Request, res: Response): Promise<void> {
  const pending = req.session.pending;
  if (!pending || Date.now() - pending.startedAt > PENDING_TTL_MS) return fail(req, res, config, 'EXPIRED', 'no sign-in pending in this browser');
  const params = client.callbackParams(req);
  if (params.error) return fail(req, res, config, params.error === 'access_denied' ? 'CANCELLED' : 'FAILED', params.error);
  let claims: Record<string, unknown>;
  let idToken: string | undefined;
  try {
    const tokens = await client.callback(pending.redirectUri, params, {
      state: pending.state,
      nonce: pending.nonce,
      code_verifier: pending.codeVerifier,
    });
    idToken = tokens.id_token;
    claims = { ...tokens.claims(), ...(tokens.access_token ? await client.userinfo(tokens) : {}) };
  } catch (err) {
    return fail(req, res, config, 'FAILED', err instanceof Error ? err.message : String(err));
  }
  let personId: string;
  try {
    personId = (await personForSignIn(db, config, identityFromClaims(claims, config))).id;
  } catch (err) {
    if (err instanceof SignInRefused) return fail(req, res, config, err.code, err.message);
    throw err;
  }
  // A new session id at sign-in: a session id planted before it (fixation) is worth nothing.
  await regenerate(req);
  Object.assign(req.session, { personId, signedInAt: Date.now(), idToken });
  await save(req);
  log('info', 'signed in', { personId });
  res.redirect(303, dashboardUrl(req, config));
}

export function authRoutes(db: Db, config: Config): Router {
  const router = Router();
  if (!config.OIDC_ISSUER) {
    router.get('/session', (_req, res) => void res.json({ signIn: false, signedIn: false }));
    return router;
  }
  const authConfig = config as AuthConfig;
  const client = providerClient(authConfig);
  /** The provider's client; when it does not answer, the browser is sent back to say so (a page for people, not a JSON error). */
  const clientOr = async (req: Request, res: Response): Promise<BaseClient | undefined> => {
    try {
      return await client();
    } catch (err) {
      fail(req, res, config, 'UNAVAILABLE', err instanceof Error ? err.message : String(err));
      return undefined;
    }
  };

  router.get('/login', async (req, res) => {
    const c = await clientOr(req, res);
    if (!c) return;
    const pending = {
      state: generators.state(),
      nonce: generators.nonce(),
      codeVerifier: generators.codeVerifier(),
      redirectUri: redirectUriFor(config, req),
      startedAt: Date.now(),
    };
    req.session.pending = pending;
    await save(req);
    res.redirect(
      303,
      c.authorizationUrl({
        redirect_uri: pending.redirectUri,
        scope: config.OIDC_SCOPES,
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: generators.codeChallenge(pending.codeVerifier),
        code_challenge_method: 'S256',
      }),
    );
  });

  router.get('/callback', async (req, res) => {
    const c = await clientOr(req, res);
    if (c) await callback(c, db, authConfig, req, res);
  });

  router.get('/session', identifySession(db, config), (req, res) => {
    const signedIn = res.locals.principal !== undefined;
    res.set('cache-control', 'no-store').json({ signIn: true, signedIn, ...(signedIn ? { csrfToken: csrf.generateToken(req) } : {}) });
  });

  router.post('/logout', identifySession(db, config), requireCsrfToken, async (req, res) => {
    const idToken = req.session.idToken;
    const signedIn = res.locals.principal !== undefined;
    if (req.session.personId) await destroy(req);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    let endSessionUrl: string | null = null;
    if (signedIn) {
      const c = await client();
      if (c.issuer.metadata.end_session_endpoint) {
        endSessionUrl = c.endSessionUrl({ id_token_hint: idToken, post_logout_redirect_uri: dashboardUrl(req, config) });
      }
    }
    res.json({ signedOut: true, endSessionUrl });
  });
  return router;
}
