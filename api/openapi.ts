/** The OpenAPI 3.1 document, generated from the same Zod schemas the routes validate with. */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import * as s from './schemas';

type Method = RouteConfig['method'];

interface Endpoint {
  method: Method;
  path: string;
  summary: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  status?: number;
  response?: z.ZodType;
  public?: boolean;
}

const anyObject = z.record(z.string(), z.unknown());

/** Every endpoint, in the order the docs page lists them. */
export const endpoints: Endpoint[] = [
  { method: 'get', path: '/health', summary: 'API, database and Temporal answer (503 names the failing part)', response: s.healthSchema, public: true },
  { method: 'put', path: '/api/v1/units', summary: 'Admin: bulk upsert units; rejects unknown parents and cycles', body: s.unitsUpsertSchema, response: anyObject },
  { method: 'get', path: '/api/v1/units/{code}', summary: 'A unit and its children', params: s.unitParams, response: anyObject },
  { method: 'get', path: '/api/v1/units/{code}/inbox', summary: "A unit's open assignments across directives", params: s.unitParams, query: s.pageSchema, response: anyObject },
  { method: 'post', path: '/api/v1/units/{code}/tokens', summary: 'Admin: issue a token for the unit (shown once)', params: s.unitParams, body: s.tokenRequestSchema, status: 201, response: s.tokenIssuedSchema },
  { method: 'delete', path: '/api/v1/tokens/{id}', summary: 'Admin: revoke a token', params: s.tokenParams, status: 204 },
  { method: 'post', path: '/api/v1/directives', summary: 'Issue a directive and start its cascade (issuer or admin)', body: s.issueDirectiveSchema, status: 201, response: s.issuedSchema },
  { method: 'get', path: '/api/v1/directives/{id}', summary: 'The directive and its progress: totals by stage and level, overdue count', params: s.directiveParams, response: anyObject },
  { method: 'get', path: '/api/v1/directives/{id}/assignments', summary: 'Assignments, filtered and paginated', params: s.directiveParams, query: s.assignmentFilterSchema, response: anyObject },
  { method: 'get', path: '/api/v1/directives/{id}/units/{code}', summary: 'One assignment: stage, deadlines, timeline, documents chain, children rollup', params: s.assignmentParams, response: anyObject },
  { method: 'post', path: '/api/v1/directives/{id}/units/{code}/acknowledge', summary: 'Acknowledge (the unit)', params: s.assignmentParams, body: s.acknowledgeSchema, response: s.assignmentViewSchema },
  { method: 'post', path: '/api/v1/directives/{id}/units/{code}/concretize', summary: "Issue the unit's implementing document and forward it", params: s.assignmentParams, body: s.concretizeSchema, response: s.assignmentViewSchema },
  { method: 'post', path: '/api/v1/directives/{id}/units/{code}/reports', summary: 'Report for a cycle', params: s.assignmentParams, body: s.reportSchema, response: s.assignmentViewSchema },
  { method: 'post', path: '/api/v1/directives/{id}/units/{code}/extension-requests', summary: 'Ask the unit above for a later deadline', params: s.assignmentParams, body: s.extensionRequestSchema, status: 201, response: s.extensionRequestedSchema },
  { method: 'post', path: '/api/v1/directives/{id}/units/{code}/extension-requests/{requestId}/decision', summary: 'The unit above approves or rejects', params: s.decisionParams, body: s.extensionDecisionSchema, response: s.assignmentViewSchema },
  { method: 'get', path: '/api/v1/directives/{id}/escalations', summary: 'Escalation events, open and resolved', params: s.directiveParams, query: s.escalationFilterSchema, response: anyObject },
  { method: 'post', path: '/api/v1/directives/{id}/amendments', summary: 'Issuer: amend (new version to acknowledge)', params: s.directiveParams, body: s.amendmentSchema, response: s.directiveStatusSchema },
  { method: 'post', path: '/api/v1/directives/{id}/revoke', summary: 'Issuer: revoke; closes every open assignment', params: s.directiveParams, body: s.revokeSchema, response: s.directiveStatusSchema },
  { method: 'get', path: '/api/v1/openapi.json', summary: 'This document', response: anyObject, public: true },
];

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: s.errorSchema } } });

let cached: object | undefined;

export function openApiDocument(): object {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  for (const e of endpoints) {
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
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Directive cascade API',
      version: '1.0.0',
      description: 'Issue directives, follow their cascade down the administrative tree, act as a unit.',
    },
  });
  return cached;
}

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A plain HTML listing: no scripts, no external assets (none can be fetched here anyway). */
export function docsPage(): string {
  const rows = endpoints
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
