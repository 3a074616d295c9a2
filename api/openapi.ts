/**
 * The OpenAPI 3.1 document and the docs page, generated from the route declarations
 * (api/route-registry.ts): the same paths and Zod schemas the routers serve and validate with.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { RouteGroup } from './route-registry';
import { errorSchema } from './schemas';

/** Every route of the groups with its full path, in declaration order. */
const endpointsOf = (groups: readonly RouteGroup[]) =>
  groups.flatMap((g) => g.routes.map((r) => ({ ...r.spec, path: `${g.base}${r.spec.path}` })));

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

export function openApiDocument(groups: readonly RouteGroup[]): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const e of endpointsOf(groups)) {
    const status = e.status ?? 200;
    registry.registerPath({
      method: e.method,
      path: e.path,
      summary: e.summary,
      ...(e.public ? {} : { security: [{ [bearer.name]: [] }] }),
      request: {
        ...(e.params ? { params: e.params } : {}),
        ...(e.query ? { query: e.query } : {}),
        ...(e.body ? { body: { content: { 'application/json': { schema: e.body } } } } : {}),
      },
      responses: {
        [status]: e.response
          ? { description: 'OK', content: { 'application/json': { schema: e.response } } }
          : { description: 'No content' },
        ...(e.public
          ? { 503: errorResponse('A dependency is down') }
          : {
              400: errorResponse('Invalid input (Zod issues in details), malformed JSON'),
              401: errorResponse('Missing or unknown token'),
              403: errorResponse('Not allowed for this token'),
              404: errorResponse('Not found'),
              409: errorResponse('The assignment or directive does not allow this now (reason in message)'),
              413: errorResponse('Body too large'),
              422: errorResponse('Idempotency-Key reused with a different request'),
            }),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Directive cascade API',
      version: '1.0.0',
      description: 'Issue directives, follow their cascade down the administrative tree, act as a unit.',
    },
  });
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain HTML listing: no scripts, no external assets (none can be fetched here anyway). */
export function docsPage(groups: readonly RouteGroup[]): string {
  const rows = endpointsOf(groups)
    .map((e) => `<tr><td><code>${e.method.toUpperCase()}</code></td><td><code>${escape(e.path)}</code></td><td>${escape(e.summary)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Directive cascade API</title>
<style>body{font-family:sans-serif;margin:2rem}td{padding:.25rem .75rem;border-bottom:1px solid #ddd}</style></head>
<body><h1>Directive cascade API</h1>
<p>Authorization: <code>Bearer &lt;token&gt;</code>. Errors: <code>{"error":{"code","message","details"?}}</code>.
The full schema: <a href="/api/v1/openapi.json">openapi.json</a>.</p>
<table>${rows}</table></body></html>`;
}
