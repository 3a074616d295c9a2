/**
 * Sign-in for `npm start`: the configured provider when OIDC_ISSUER is set, else the local
 * provider (stack/oidc-provider) with the demo people, so that a newcomer signs in at the
 * dashboard with an e-mail and a password and no token at all. The session secret is made
 * once and kept in DATA_DIR/session-secret (mode 600), so that a restart signs nobody out;
 * the local provider's client secret is new at each start (both ends are ours).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../runtime/config';
import { startOidcProvider } from './oidc-provider';

export interface LocalSignIn {
  /** What the API's configuration gains. */
  config: Pick<Config, 'OIDC_ISSUER' | 'OIDC_CLIENT_SECRET' | 'SESSION_SECRET'>;
  /** The local provider, when it is ours. */
  local: boolean;
  stop(): Promise<void>;
}

function sessionSecret(dataDir: string): string {
  const file = path.resolve(dataDir, 'session-secret');
  if (fs.existsSync(file)) {
    const kept = fs.readFileSync(file, 'utf8').trim();
    if (kept.length >= 32) return kept;
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = crypto.randomBytes(32).toString('base64url');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export async function startSignIn(config: Config, dashboardOrigins: string[]): Promise<LocalSignIn> {
  const secret = config.SESSION_SECRET ?? sessionSecret(config.DATA_DIR);
  if (config.OIDC_ISSUER) {
    return { config: { OIDC_ISSUER: config.OIDC_ISSUER, OIDC_CLIENT_SECRET: config.OIDC_CLIENT_SECRET, SESSION_SECRET: secret }, local: false, stop: async () => undefined };
  }
  const clientSecret = crypto.randomBytes(24).toString('base64url');
  const provider = await startOidcProvider({
    port: config.LOCAL_OIDC_PORT,
    peopleFile: path.resolve(config.LOCAL_OIDC_PEOPLE),
    client: { clientId: config.OIDC_CLIENT_ID, clientSecret, redirectUris: dashboardOrigins.map((o) => `${o}/auth/callback`) },
    postLogoutRedirectUris: dashboardOrigins.map((o) => `${o}/dashboard/`),
    dir: path.resolve(config.DATA_DIR, 'oidc-provider'),
  });
  return { config: { OIDC_ISSUER: provider.issuer, OIDC_CLIENT_SECRET: clientSecret, SESSION_SECRET: secret }, local: true, stop: () => provider.stop() };
}
