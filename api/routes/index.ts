/**
 * Every endpoint of the API, in the order the docs page lists them: the routers and the
 * OpenAPI document are both built from this catalogue.
 */
import { openApiDocument } from '../openapi';
import { defineRoute, type RouteGroup } from '../route-registry';
import { anyObjectSchema } from '../schemas';
import { dashboardRoutes } from './dashboard';
import { directiveRoutes } from './directives';
import { documentFileRoutes } from './document-files';
import { documentRoutes } from './documents';
import { healthRoutes } from './health';
import { notificationRoutes } from './notifications';
import { draftRoutes } from './drafts';
import { peopleRoutes } from './people';
import { unitRoutes } from './units';

/** Where the versioned API is mounted. */
export const API_BASE = '/api/v1';

let document: object | undefined;

/** The OpenAPI document of the catalogue, built once. */
function apiDocument(): object {
  return (document ??= openApiDocument(routeGroups));
}

const openApiRoute = defineRoute(
  { method: 'get', path: '/openapi.json', summary: 'This document', response: anyObjectSchema, public: true },
  async () => ({ body: apiDocument() }),
);

/** The routes under API_BASE. */
export const v1Routes = [
  ...unitRoutes,
  ...notificationRoutes,
  ...peopleRoutes,
  ...directiveRoutes,
  ...draftRoutes,
  ...documentRoutes,
  ...documentFileRoutes,
  ...dashboardRoutes,
  openApiRoute,
];

export const routeGroups: RouteGroup[] = [
  { base: '', routes: healthRoutes },
  { base: API_BASE, routes: v1Routes },
];
