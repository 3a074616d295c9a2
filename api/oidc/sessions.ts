/**
 * Browser sessions of signed-in people: express-session with its rows in PostgreSQL
 * (connect-pg-simple, table WebSession), so that every API process knows every session and
 * a restart signs nobody out. The cookie holds only the signed session id: httpOnly,
 * SameSite=Lax (the provider's redirect back is a top-level navigation), Secure when the
 * dashboard is served over https. A session ends after SESSION_IDLE_MINUTES without a
 * request (the cookie and the row are renewed by each one) and SESSION_ABSOLUTE_HOURS after
 * sign-in whatever happens (checked by `sessionAge`).
 */
import type { RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import pg from 'pg';
import type { Config } from '../../runtime/config';

declare module 'express-session' {
  interface SessionData {
    /** Set at sign-in: the Person. */
    personId?: string;
    /** When the person signed in (epoch ms): the absolute timeout counts from here. */
    signedInAt?: number;
    /** The provider's ID token, for its end-session endpoint at sign-out. */
    idToken?: string;
    /** Between /auth/login and /auth/callback: what the callback must match. */
    pending?: { state: string; nonce: string; codeVerifier: string; redirectUri: string; startedAt: number };
  }
}

export const SESSION_COOKIE = 'cascade.sid';

export type SessionConfig = Pick<
  Config,
  'SESSION_SECRET' | 'SESSION_IDLE_MINUTES' | 'SESSION_ABSOLUTE_HOURS' | 'DATABASE_URL' | 'OIDC_REDIRECT_URI' | 'DASHBOARD_URL'
>;

/** Whether the dashboard is served over TLS (its cookie must then be Secure). */
export function servedOverTls(config: Pick<Config, 'OIDC_REDIRECT_URI' | 'DASHBOARD_URL'>): boolean {
  return (config.OIDC_REDIRECT_URI ?? config.DASHBOARD_URL ?? '').startsWith('https:');
}

export function sessions(config: SessionConfig): RequestHandler {
  if (!config.SESSION_SECRET) throw new Error('SESSION_SECRET is required for sign-in sessions');
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required for sign-in sessions');
  const PgStore = connectPgSimple(session);
  // A small pool of its own: one statement per request made with a session.
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 4, allowExitOnIdle: true });
  pool.on('error', () => undefined); // an idle client lost in a database restart; the next query reconnects
  const secure = servedOverTls(config);
  return session({
    name: SESSION_COOKIE,
    secret: config.SESSION_SECRET,
    store: new PgStore({ pool, tableName: 'WebSession', pruneSessionInterval: 15 * 60 }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    // Behind the TLS-terminating proxy the connection is plain http: trust its X-Forwarded-Proto.
    proxy: secure,
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: config.SESSION_IDLE_MINUTES * 60_000 },
  });
}

/** Whether a signed-in session is past its absolute lifetime. */
export function pastAbsoluteTimeout(signedInAt: number | undefined, config: Pick<Config, 'SESSION_ABSOLUTE_HOURS'>, now = Date.now()): boolean {
  return signedInAt === undefined || now - signedInAt >= config.SESSION_ABSOLUTE_HOURS * 3_600_000;
}
