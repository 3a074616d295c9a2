/**
 * The OpenAPI 3.1 document and the docs page, generated from the route declarations
 * (api/route-registry.ts): the same paths and Zod schemas the routers serve and validate with.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { IDEMPOTENCY_KEY } from './middleware/idempotency';
import type { RouteGroup, RouteSpec } from './route-registry';
import { errorSchema } from './schemas';

/** Every route of the groups with its full path, in declaration order. */
const endpointsOf = (groups: readonly RouteGroup[]) =>
  groups.flatMap((g) => g.routes.map((r) => ({ ...r.spec, path: `${g.base}${r.spec.path}` })));

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: errorSchema } } });

const ERRORS: Record<number, string> = {
  400: 'Invalid input: VALIDATION_ERROR (Zod issues in details), MALFORMED_JSON, BODY_REQUIRED, or a rule on the data the schema cannot state (INVALID_POLICY, INVALID_RECIPIENTS, NO_RECIPIENTS, UNKNOWN_PARENT, CYCLE, INVALID_IDEMPOTENCY_KEY)',
  401: 'Missing, unknown, revoked or expired token',
  403: 'Not allowed for this token (APPROVAL_REQUIRED: a directive reaching more units than a unit token may)',
  404: 'Not found',
  409: 'The assignment or directive does not allow this now (reason in message), QUOTA_EXCEEDED, or IDEMPOTENCY_IN_PROGRESS',
  413: 'Body too large (REQUEST_BODY_LIMIT), or a document file larger than DOCUMENT_MAX_BYTES (FILE_TOO_LARGE)',
  415: 'The body is not application/json (or, where a file is taken, multipart/form-data), or the file is not a kind that is read (UNSUPPORTED_FILE, CONTENT_MISMATCH: its content is not what its name says)',
  422: 'Idempotency-Key reused with a different request; or a document file with no text to read (NO_TEXT_LAYER: a scanned PDF; UNREADABLE_FILE; NO_TEXT)',
  503: 'Retry later, after Retry-After seconds: the workflow engine did not answer or is busy with the assignment (ENGINE_UNAVAILABLE, ENGINE_BUSY), the database is down (DATABASE_UNAVAILABLE), or, for /health, a dependency is down',
};

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before retrying', required: true, schema: { type: 'integer' as const, minimum: 0 } } };

const errorResponseFor = (status: number) =>
  status === 503 ? { ...errorResponse(ERRORS[status]!), headers: retryAfter } : errorResponse(ERRORS[status]!);

/** The error statuses a route answers: those of its kind, and its own (`spec.errors`). */
function errorStatuses(e: RouteSpec): number[] {
  const out = new Set<number>(e.errors ?? []);
  if (!e.public) {
    // A unit token is looked up in the database, which can be down (503 DATABASE_UNAVAILABLE).
    [401, 403, 503].forEach((s) => out.add(s));
    if (e.params || e.query || e.body || e.idempotent) out.add(400);
    if (e.params) out.add(404);
    if (e.body) [413, 415].forEach((s) => out.add(s));
    if (e.upload) [413, 415, 422].forEach((s) => out.add(s));
    if (e.idempotent) [409, 422].forEach((s) => out.add(s));
  }
  return [...out].sort();
}

const rateLimited = {
  description: 'Rate limit (RATE_LIMITED): per token or for the whole API; retry after Retry-After seconds',
  headers: retryAfter,
  content: { 'application/json': { schema: errorSchema } },
};

/** No string the API takes may hold NUL (U+0000): PostgreSQL cannot store it (api/route-registry.ts). */
export const NO_NUL_PATTERN = '^[^\\u0000]*$';

/** Adds NO_NUL_PATTERN to every string schema that has no pattern, format or fixed values of its own. */
function forbidNul(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(forbidNul);
  if (!node || typeof node !== 'object') return;
  const s = node as Record<string, unknown>;
  const free = !('pattern' in s) && !('format' in s) && !('enum' in s) && !('const' in s);
  if (free && (s.type === 'string' || (Array.isArray(s.type) && s.type.includes('string')))) s.pattern = NO_NUL_PATTERN;
  Object.values(s).forEach(forbidNul);
}

/** A stable operationId: the method and the path's words ("get_api_v1_directives_id"). */
export const operationIdOf = (method: string, path: string): string =>
  `${method}${path.replace(/[^A-Za-z0-9]+/g, '_')}`.replace(/_+$/, '');

interface Link {
  /** The link's name in the answer. */
  name: string;
  /** The operation the link leads to, as "method /path" below the same base. */
  to: string;
  /** Its parameters, as OpenAPI runtime expressions over this request and answer. */
  parameters: Record<string, string>;
}

const cascadeReads = (id: string): Link[] => [
  { name: 'Directive', to: 'get /directives/{id}', parameters: { id } },
  { name: 'Assignments', to: 'get /directives/{id}/assignments', parameters: { id } },
  { name: 'Escalations', to: 'get /directives/{id}/escalations', parameters: { id } },
];
/**
 * An assignment view (what every unit action answers) leads to the assignment, its cascade
 * and, once the unit has concretized, its implementing document (`<cascade id>~<unit code>`).
 */
const fromAssignmentView: Link[] = [
  {
    name: 'Assignment',
    to: 'get /directives/{id}/units/{code}',
    parameters: { id: '$response.body#/directiveId', code: '$response.body#/unitCode' },
  },
  { name: 'Cascade', to: 'get /directives/{id}/assignments', parameters: { id: '$response.body#/directiveId' } },
  { name: 'ImplementingDocument', to: 'get /directives/{id}', parameters: { id: '$response.body#/implementingDirectiveId' } },
];

/**
 * Where the ids an answer carries can be used next: OpenAPI links, which a client (and
 * schemathesis's stateful phase) follows to chain calls on real resources. Keyed by
 * "method /path" below the group's base; every id the API hands out leads somewhere.
 */
const LINKS: Record<string, Link[]> = {
  'post /directives': cascadeReads('$response.body#/id'),
  // The list holds cascades and implementing documents (`<cascade id>~<unit code>`) alike.
  'get /directives': cascadeReads('$response.body#/items/0/id'),
  'get /directives/{id}/assignments': [
    {
      name: 'Assignment',
      to: 'get /directives/{id}/units/{code}',
      parameters: { id: '$request.path.id', code: '$response.body#/items/0/unitCode' },
    },
  ],
  'post /directives/{id}/units/{code}/acknowledge': fromAssignmentView,
  'post /directives/{id}/units/{code}/concretize': fromAssignmentView,
  'post /directives/{id}/units/{code}/reports': fromAssignmentView,
  'post /directives/{id}/units/{code}/extension-requests': [
    {
      name: 'Decision',
      to: 'post /directives/{id}/units/{code}/extension-requests/{requestId}/decision',
      parameters: { id: '$request.path.id', code: '$request.path.code', requestId: '$response.body#/requestId' },
    },
  ],
  'post /units/{code}/tokens': [{ name: 'Revoke', to: 'delete /tokens/{id}', parameters: { id: '$response.body#/id' } }],
};

/** The OpenAPI links object of a route's success answer, or undefined. */
function linksOf(
  base: string,
  spec: RouteSpec,
  known: ReadonlySet<string>,
): Record<string, { operationId: string; parameters: Record<string, string> }> | undefined {
  const links = LINKS[`${spec.method} ${spec.path}`];
  if (!links) return undefined;
  return Object.fromEntries(
    links.map(({ name, to, parameters }) => {
      const [method, path] = to.split(' ') as [string, string];
      const operationId = operationIdOf(method, `${base}${path}`);
      if (!known.has(operationId)) throw new Error(`link from ${spec.method} ${spec.path} to an unknown operation: ${to}`);
      return [name, { operationId, parameters }];
    }),
  );
}

export function openApiDocument(groups: readonly RouteGroup[]): object {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  const known = new Set(endpointsOf(groups).map((e) => operationIdOf(e.method, e.path)));
  for (const { base, spec, ...e } of groups.flatMap((g) =>
    g.routes.map((r) => ({ ...r.spec, base: g.base, spec: r.spec, path: `${g.base}${r.spec.path}` })),
  )) {
    const status = e.status ?? 200;
    const links = linksOf(base, spec, known);
    const ok = e.response
      ? { description: 'OK', content: { [e.produces ?? 'application/json']: { schema: e.response } }, ...(links ? { links } : {}) }
      : e.produces
      ? { description: 'OK', content: { [e.produces]: { schema: z.string().openapi({ type: 'string', format: 'binary' }) } } }
      : { description: 'No content' };
    registry.registerPath({
      operationId: operationIdOf(e.method, e.path),
      method: e.method,
      path: e.path,
      summary: e.summary,
      ...(e.public ? {} : { security: [{ [bearer.name]: [] }] }),
      request: {
        ...(e.params ? { params: e.params } : {}),
        ...(e.query ? { query: e.query } : {}),
        ...(e.idempotent ? { headers: idempotencyHeader } : {}),
        ...(e.body
          ? {
              body: {
                required: true,
                content: {
                  'application/json': { schema: e.body },
                  ...(e.upload ? { 'multipart/form-data': { schema: uploadSchema(e.body) } } : {}),
                },
              },
            }
          : {}),
      },
      responses: {
        [status]: ok,
        // A repeat of a request already done (or its Idempotency-Key replay) answers 200.
        ...(e.idempotent && status !== 200 ? { 200: { ...ok, description: 'Already done: nothing changed' } } : {}),
        ...Object.fromEntries(errorStatuses(e).map((s) => [s, errorResponseFor(s)])),
        // Health probes are not rate limited (api/app.ts).
        ...(e.path === '/health' ? {} : { 429: rateLimited }),
      },
    });
  }
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Directive cascade API',
      version: '1.0.0',
      description: 'Issue directives, follow their cascade down the administrative tree, act as a unit.',
    },
  });
  forbidNul(document);
  return document;
}

/** A route's body fields with its file, as multipart/form-data. */
// A new object, not an extension of the registered JSON schema: an extension is written as
// allOf [the strict JSON schema, { file }], which no value satisfies.
const uploadSchema = (body: z.ZodType): z.ZodType =>
  z.strictObject({
    ...(body as z.ZodObject).shape,
    file: z.string().openapi({ type: 'string', format: 'binary', description: 'The document file' }).optional(),
  });

const idempotencyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .max(200)
    .regex(IDEMPOTENCY_KEY)
    .optional()
    .openapi({
      description:
        'A fresh key for each distinct request. Repeating the request with the same key (within IDEMPOTENCY_TTL_HOURS) replays the first answer; the same key with a different request is 422 IDEMPOTENCY_KEY_REUSED, and while the first is still being processed 409 IDEMPOTENCY_IN_PROGRESS',
    }),
});

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
