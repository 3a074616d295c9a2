/**
 * Starts the local OpenID Connect provider (stack/oidc-provider/server.mts) as a child
 * process: `npm start` signs people in through it, and the tests sign in on its login page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { messageOfType, spawnNode, waitForMessage } from './node-process';

export interface OidcClientRegistration {
  clientId: string;
  clientSecret: string;
  /** Where the provider may send the browser back: the API's /auth/callback. */
  redirectUris: string[];
}

export interface LocalOidcProviderOptions {
  host?: string;
  port: number;
  /** Who may sign in: config/demo-people.json's shape. */
  peopleFile: string;
  client: OidcClientRegistration;
  /** Where the provider may send the browser after signing out of it (the dashboard). */
  postLogoutRedirectUris?: string[];
  /** Its configuration file and log go here. */
  dir: string;
}

export interface LocalOidcProvider {
  /** http://<host>:<port>: OIDC_ISSUER for the API. */
  issuer: string;
  stop(): Promise<void>;
}

export const DEMO_PEOPLE_FILE = path.resolve(__dirname, '..', 'config', 'demo-people.json');

export async function startOidcProvider(opts: LocalOidcProviderOptions): Promise<LocalOidcProvider> {
  const host = opts.host ?? '127.0.0.1';
  const issuer = `http://${host}:${opts.port}`;
  fs.mkdirSync(opts.dir, { recursive: true });
  const configFile = path.join(opts.dir, 'oidc-provider.json');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      issuer,
      host,
      port: opts.port,
      peopleFile: opts.peopleFile,
      clients: [
        {
          client_id: opts.client.clientId,
          client_secret: opts.client.clientSecret,
          redirect_uris: opts.client.redirectUris,
          post_logout_redirect_uris: opts.postLogoutRedirectUris ?? [],
        },
      ],
    }),
  );
  const proc = spawnNode({
    name: 'oidc-provider',
    entry: 'stack/oidc-provider/server.mts',
    env: { OIDC_PROVIDER_CONFIG: configFile },
    logFile: path.join(opts.dir, 'oidc-provider.log'),
    ipc: true,
  });
  try {
    await waitForMessage(proc, messageOfType('ready'), 60_000);
  } catch (err) {
    await proc.stop(2_000);
    throw err;
  }
  return { issuer, stop: () => proc.stop(5_000) };
}
