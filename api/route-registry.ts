/**
 * One declaration per endpoint. `defineRoute` takes the method, the path, the Zod schemas
 * and the summary once; `routerFor` mounts the Express route from it and api/openapi.ts
 * writes its OpenAPI entry from it, so the two cannot drift apart. The handler receives
 * the parsed input and returns the reply; a ZodError thrown while parsing is a 400 in the
 * error handler.
 */
import crypto from 'node:crypto';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Db } from '../read-model/db';
import type { Config } from '../runtime/config';
import { log } from '../runtime/log';
import { recordAudit } from '../read-model/audit';
import { principalOf, type Principal } from './auth';
import { auditedActor, noteAction } from './actor';
import type { Action } from './roles';
import { ApiError } from './errors';
import type { HealthChecks } from './use-cases/health';
import { RETRY_AFTER_S } from './retry-after';

type Method = 'get' | 'post' | 'put' | 'delete';

/** What every handler may use: built once by createApp. */
export interface RouteDeps {
  db: Db;
  client: Client;
  config: Config;
  health: () => Promise<HealthChecks>;
}

type ParamsSchema = z.ZodObject | undefined;
type BodySchema = z.ZodType | undefined;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<
  P extends ParamsSchema = ParamsSchema,
  Q extends ParamsSchema = ParamsSchema,
  B extends BodySchema = BodySchema,
> {
  method: Method;
  /** The OpenAPI form, `{name}` for a parameter ("/directives/{id}"), below its group's base. */
  path: string;
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  /** The success status the document names (default 200). */
  status?: number;
  /** The success body's schema; none means no content. */
  response?: z.ZodType;
  /** Needs no bearer token: mounted before body parsing and authentication. */
  public?: boolean;
  /** Guarded by the Idempotency-Key middleware. */
  idempotent?: boolean;
  /** The unit action the route takes: the audit trail records the role it is taken in. */
  action?: Action;
  /** Also takes multipart/form-data with one file in the field `file`; the other fields are the body. */
  upload?: boolean;
  /**
   * The success answer's media type when it is not JSON: text the handler replies with (its
   * `response` schema then describes it), or a file (`Reply.file`).
   */
  produces?: string;
  /**
   * Error statuses this route answers beyond the ones every route of its kind does (see
   * api/openapi.ts): 404 for a route without path parameters, 409, 503.
   */
  errors?: readonly number[];
}

export interface RouteInput<P, Q, B> {
  deps: RouteDeps;
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** The authenticated caller; reading it on a public route is a 401. */
  readonly principal: Principal;
  /** The uploaded file, on an `upload` route sent as multipart/form-data. */
  file?: UploadedFile;
}

/** A file received in a multipart request. */
export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

/** What a handler answers: JSON `body` (none: no content) with `status` (default: the spec's). */
export interface Reply {
  status?: number;
  body?: unknown;
  /** A file answer instead of JSON (a route with `produces`). */
  file?: { data: Buffer; contentType: string; filename: string };
  /** With status 503: seconds until a retry can succeed (api/retry-after.ts). */
  retryAfterS?: number;
}

export interface Route {
  readonly spec: RouteSpec;
  /** Parses params, query and body (in that order), runs the handler and sends its reply. */
  readonly handle: (deps: RouteDeps, req: Request, res: Response) => Promise<void>;
}

/** A group of routes mounted under one base path ("" or "/api/v1"). */
export interface RouteGroup {
  base: string;
  routes: readonly Route[];
}

const parse = <S extends z.ZodType | undefined>(schema: S | undefined, value: unknown): Parsed<S> =>
  (schema ? schema.parse(value ?? {}) : undefined) as Parsed<S>;

/** Where the first NUL (U+0000) sits in a parsed input, in keys or values, or null. */
function nulAt(value: unknown, path: Array<string | number> = []): Array<string | number> | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const at = nulAt(v, [...path, i]);
      if (at) return at;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const at = k.includes('\u0000') ? [...path, k] : nulAt(v, [...path, k]);
      if (at) return at;
    }
  }
  return null;
}

/**
 * No input string may hold NUL: PostgreSQL refuses it in text and jsonb, so it would fail
 * deep inside the engine instead of here. The OpenAPI document says so (api/openapi.ts).
 */
function refuseNul(where: string, value: unknown): void {
  const at = nulAt(value);
  if (!at) return;
  throw new ApiError(400, 'VALIDATION_ERROR', 'invalid request', [
    { code: 'invalid_string', path: [where, ...at], message: 'must not contain NUL (U+0000)' },
  ]);
}

/** The JSON body a route declares: 415 when another media type came, 400 when none did. */
function bodyOf(req: Request): unknown {
  if (req.body !== undefined) return req.body;
  if (req.get('content-type') && !req.is('application/json')) {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json');
  }
  throw new ApiError(400, 'BODY_REQUIRED', 'this request needs a JSON body');
}

export function defineRoute<
  P extends ParamsSchema = undefined,
  Q extends ParamsSchema = undefined,
  B extends BodySchema = undefined,
>(spec: RouteSpec<P, Q, B>, handler: (input: RouteInput<P, Q, B>) => Promise<Reply>): Route {
  return {
    spec,
    async handle(deps, req, res) {
      if (spec.action) noteAction(res, spec.action);
      refuseNul('params', req.params);
      refuseNul('query', req.query);
      const params = parse(spec.params, req.params);
      const query = parse(spec.query, req.query);
      const raw = spec.body ? bodyOf(req) : undefined;
      refuseNul('body', raw);
      const body = spec.body ? parse(spec.body, raw) : (undefined as Parsed<B>);
      const reply = await handler({
        deps,
        params,
        query,
        body,
        ...(spec.upload && req.file ? { file: req.file as UploadedFile } : {}),
        get principal() {
          return principalOf(res);
        },
      });
      res.status(reply.status ?? spec.status ?? 200);
      // A 503 reply (a dependency down) is "retry later", like the error handler's 503s.
      if (res.statusCode === 503) res.setHeader('Retry-After', String(reply.retryAfterS ?? RETRY_AFTER_S.workflow));
      if (spec.method !== 'get' && !spec.public) await audit(deps, spec, req, res, body);
      if (reply.file) {
        // attachment() sets a type from the file name's extension: the declared one wins.
        res.attachment(reply.file.filename);
        res.type(reply.file.contentType);
        res.send(reply.file.data);
      } else if (reply.body === undefined) res.end();
      else if (spec.produces && typeof reply.body === 'string') res.type(spec.produces).send(reply.body);
      else res.json(reply.body);
    },
  };
}

/**
 * Records an accepted change: who (the admin, or a unit's token; the person behind it and the
 * role it was made in), for which unit, what,
 * on which resource. A failure to record is logged, not answered: the change is done.
 */
async function audit(deps: RouteDeps, spec: RouteSpec, req: Request, res: Response, body: unknown): Promise<void> {
  const principal = principalOf(res);
  const params = { ...(req.params as Record<string, string>) };
  const issuer = (body as { issuerCode?: unknown } | undefined)?.issuerCode;
  const forUnit = params.code ?? (typeof issuer === 'string' ? issuer : undefined);
  try {
    await recordAudit(deps.db, {
      id: crypto.randomUUID(),
      requestId: String(res.locals.requestId ?? ''),
      actor: principal.kind,
      tokenId: principal.kind === 'unit' ? principal.id : null,
      actorUnitCode: principal.kind === 'unit' ? principal.unitCode : null,
      forUnitCode: forUnit ?? (principal.kind === 'unit' ? principal.unitCode : null),
      method: spec.method.toUpperCase(),
      route: `${req.baseUrl}${spec.path}`,
      params,
      status: res.statusCode,
      ...auditedActor(principal, res),
    });
  } catch (err) {
    log('error', 'audit event not recorded', { error: String(err) });
  }
}

/** "/directives/{id}" (OpenAPI) as "/directives/:id" (Express). */
const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

export interface MountOptions {
  /** Runs before every route that is not public: authentication, the per-token rate limit. */
  guard?: RequestHandler[];
  /** Parses the JSON body, for the routes that declare one (after the guard). */
  body?: RequestHandler;
  /** The Idempotency-Key middleware, for the routes marked idempotent. */
  once?: RequestHandler;
  /** Parses multipart/form-data, for the routes marked upload (after the JSON body parser). */
  upload?: RequestHandler;
}

/** The methods each path serves; a GET path also answers HEAD. */
function methodsByPath(routes: readonly Route[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { spec } of routes) {
    const methods = out.get(spec.path) ?? [];
    methods.push(...(spec.method === 'get' ? ['GET', 'HEAD'] : [spec.method.toUpperCase()]));
    out.set(spec.path, methods);
  }
  return out;
}

/**
 * OPTIONS answers 204 with `Allow`; a method the path does not serve answers 405 with
 * `Allow` (RFC 9110), before authentication: the methods are public in the OpenAPI document.
 */
function allowOnly(methods: string[]): RequestHandler {
  const allow = [...methods, 'OPTIONS'].join(', ');
  return (req, res, next) => {
    if (methods.includes(req.method)) return next();
    res.set('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed here; allowed: ${allow}`);
  };
}

/**
 * A router serving `routes`: 405s for undeclared methods, the public routes, then the
 * guard, then the rest; each route parses a body only when it declares one.
 */
export function routerFor(routes: readonly Route[], deps: RouteDeps, opts: MountOptions = {}): Router {
  const router = Router();
  for (const [path, methods] of methodsByPath(routes)) router.all(expressPath(path), allowOnly(methods));
  const mount = (route: Route) => {
    const { method, path, idempotent, body, upload } = route.spec;
    if (idempotent && !opts.once) throw new Error(`${method} ${path} is idempotent but no middleware was given`);
    if (upload && !opts.upload) throw new Error(`${method} ${path} takes uploads but no middleware was given`);
    const handle: RequestHandler = (req, res) => route.handle(deps, req, res);
    const before = [
      ...(body && opts.body ? [opts.body] : []),
      ...(upload ? [opts.upload!] : []),
      ...(idempotent ? [opts.once!] : []),
    ];
    router[method](expressPath(path), ...before, handle);
  };
  routes.filter((r) => r.spec.public).forEach(mount);
  if (opts.guard?.length) router.use(...opts.guard);
  routes.filter((r) => !r.spec.public).forEach(mount);
  return router;
}
