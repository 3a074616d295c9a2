/**
 * The OpenID Connect client (openid-client, the certified relying party). The provider's
 * metadata is discovered at the first sign-in and kept; a failed discovery (the provider
 * down or starting) is tried again at the next one, so that the API starts without it.
 * openid-client 5 because the API is CommonJS and Jest 29 loads it (6 is ES modules only).
 */
import { Issuer, type BaseClient } from 'openid-client';
import type { Config } from '../../runtime/config';
import { ApiError } from '../errors';

export type OidcClientConfig = Pick<Config, 'OIDC_ISSUER' | 'OIDC_DISCOVERY_URL' | 'OIDC_CLIENT_ID' | 'OIDC_CLIENT_SECRET'>;

export function providerClient(config: OidcClientConfig): () => Promise<BaseClient> {
  let discovered: Promise<BaseClient> | undefined;
  return () => {
    discovered ??= Issuer.discover(config.OIDC_DISCOVERY_URL ?? config.OIDC_ISSUER!).then(
      (issuer) => {
        // Tokens are checked against the metadata's issuer: it must be the one configured.
        if (issuer.metadata.issuer.replace(/\/$/, '') !== config.OIDC_ISSUER!.replace(/\/$/, '')) {
          discovered = undefined;
          throw new ApiError(503, 'SIGN_IN_UNAVAILABLE', `the sign-in provider names itself ${issuer.metadata.issuer}, not OIDC_ISSUER ${config.OIDC_ISSUER}`);
        }
        return new issuer.Client({
          client_id: config.OIDC_CLIENT_ID,
          client_secret: config.OIDC_CLIENT_SECRET!,
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        });
      },
      (err: unknown) => {
        discovered = undefined;
        throw new ApiError(503, 'SIGN_IN_UNAVAILABLE', `the sign-in provider ${config.OIDC_ISSUER} did not answer: ${err instanceof Error ? err.message : String(err)}`);
      },
    );
    return discovered;
  };
}
