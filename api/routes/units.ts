/** /api/v1/units and /api/v1/tokens: thin routes over use-cases/units and read-directive. */
import { defineRoute, type Route } from '../route-registry';
import {
  anyObjectSchema,
  auditFilterSchema,
  pageSchema,
  tokenIssuedSchema,
  tokenListSchema,
  tokenParams,
  tokenRequestSchema,
  tokensRevokedSchema,
  unitParams,
  unitsUpsertSchema,
} from '../schemas';
import { auditTrail, deleteToken, issueToken, putUnits, readUnit, revokeAllTokens, unitTokens } from '../use-cases/units';
import { unitInbox } from '../use-cases/read-directive';

export const unitRoutes: Route[] = [
  defineRoute(
    {
      method: 'put',
      path: '/units',
      summary: 'Admin: bulk upsert units; rejects unknown parents and cycles',
      body: unitsUpsertSchema,
      response: anyObjectSchema,
    },
    async ({ deps, principal, body }) => ({ body: await putUnits(deps.store, principal, body) }),
  ),
  defineRoute(
    { method: 'get', path: '/units/{code}', summary: 'A unit and its children', params: unitParams, response: anyObjectSchema },
    async ({ deps, principal, params }) => ({ body: await readUnit(deps.store, principal, params.code) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/units/{code}/inbox',
      summary: "A unit's open assignments across directives",
      params: unitParams,
      query: pageSchema,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params, query }) => ({ body: await unitInbox(deps.store, principal, params.code, query) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/units/{code}/tokens',
      summary: 'Admin: issue a token for the unit (shown once)',
      params: unitParams,
      body: tokenRequestSchema,
      status: 201,
      response: tokenIssuedSchema,
    },
    async ({ deps, principal, params, body }) => ({
      body: await issueToken(deps.store, principal, params.code, body, {
        defaultDays: deps.config.TOKEN_TTL_DAYS,
        maxDays: deps.config.TOKEN_MAX_TTL_DAYS,
      }),
    }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/units/{code}/tokens',
      summary: "Admin: the unit's tokens (never their secrets): expiry, last use, revocation",
      params: unitParams,
      query: pageSchema,
      response: tokenListSchema,
    },
    async ({ deps, principal, params, query }) => ({ body: await unitTokens(deps.store, principal, params.code, query) }),
  ),
  defineRoute(
    {
      method: 'post',
      path: '/units/{code}/tokens/revoke',
      summary: 'Admin: revoke every token of the unit, lost ones included',
      params: unitParams,
      response: tokensRevokedSchema,
    },
    async ({ deps, principal, params }) => ({ body: await revokeAllTokens(deps.store, principal, params.code) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/audit',
      summary: 'Admin: accepted changes and refused requests (401, 403), newest first: who (admin, token or nobody), for which unit, what',
      query: auditFilterSchema,
      response: anyObjectSchema,
    },
    async ({ deps, principal, query }) => ({ body: await auditTrail(deps.store, principal, query) }),
  ),
  defineRoute(
    { method: 'delete', path: '/tokens/{id}', summary: 'Admin: revoke a token', params: tokenParams, status: 204 },
    async ({ deps, principal, params }) => {
      await deleteToken(deps.store, principal, params.id);
      return {};
    },
  ),
];
