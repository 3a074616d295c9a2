/**
 * /api/v1/dashboard: reads shaped for the web dashboard (web/), answered from the read
 * model only. The dashboard otherwise uses the general endpoints, like any client.
 */
import { z } from 'zod';
import { defineRoute, type Route } from '../route-registry';
import { anyObjectSchema, directiveParams } from '../schemas';
import { directiveDocuments, directiveMap, session, unitNames } from '../use-cases/dashboard';

const code = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only');

const mapQuery = z.strictObject({ parent: code.optional() });
const documentsQuery = z.strictObject({ parent: z.string().min(1).max(300).optional() });
const namesQuery = z.strictObject({
  codes: z
    .string()
    // Within what fits in a URL (Node refuses request heads over 16 KB with 431).
    .max(8000)
    // What the pipe below checks, stated for the OpenAPI document: 1–500 codes, comma-separated.
    .regex(
      /^[A-Za-z0-9._-]{1,64}(,[A-Za-z0-9._-]{1,64}){0,499}$/,
      'comma-separated unit codes (at most 500)',
    )
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(code).min(1).max(500)),
});

export const dashboardRoutes: Route[] = [
  defineRoute(
    {
      method: 'get',
      path: '/dashboard/session',
      summary: 'Dashboard: who the token belongs to, and where the Temporal UI is',
      response: anyObjectSchema,
    },
    async ({ deps, principal }) => ({ body: await session(deps.store, deps.config, principal) }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/dashboard/directives/{id}/map',
      summary:
        'Dashboard: the cascade rolled up by the units directly below `parent` (default: the issuer), with the four statuses per subtree',
      params: directiveParams,
      query: mapQuery,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params, query }) => ({
      body: await directiveMap(deps.store, principal, params.id, query.parent),
    }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/dashboard/directives/{id}/documents',
      summary:
        'Dashboard: one level of the tree of implementing documents (the root, or those based on `parent`)',
      params: directiveParams,
      query: documentsQuery,
      response: anyObjectSchema,
    },
    async ({ deps, principal, params, query }) => ({
      body: await directiveDocuments(deps.store, principal, params.id, query.parent),
    }),
  ),
  defineRoute(
    {
      method: 'get',
      path: '/dashboard/unit-names',
      summary:
        'Dashboard: names of units (comma-separated `codes`, at most 500) in the caller’s branch',
      query: namesQuery,
      response: anyObjectSchema,
    },
    async ({ deps, principal, query }) => ({
      body: await unitNames(deps.store, principal, query.codes),
    }),
  ),
];
