/**
 * One declaration per endpoint. `defineRoute` takes the method, the path, the Zod schemas
 * and the summary once; `routerFor` mounts the Express route from it and api/openapi.ts
 * writes its OpenAPI entry from it, so the two cannot drift apart. The handler receives
 * the parsed input and returns the reply; a ZodError thrown while parsing is a 400 in the
 * error handler.
 */
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Client } from '@temporalio/client';
import type { Db } from '../read-model/db';
import type { Config } from '../runtime/config';
import { principalOf, type Principal } from './auth';
import type { HealthChecks } from './use-cases/health';

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
}

export interface RouteInput<P, Q, B> {
  deps: RouteDeps;
  params: Parsed<P>;
  query: Parsed<Q>;
  body: Parsed<B>;
  /** The authenticated caller; reading it on a public route is a 401. */
  readonly principal: Principal;
}

/** What a handler answers: JSON `body` (none: no content) with `status` (default: the spec's). */
export interface Reply {
  status?: number;
  body?: unknown;
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

export function defineRoute<
  P extends ParamsSchema = undefined,
  Q extends ParamsSchema = undefined,
  B extends BodySchema = undefined,
>(spec: RouteSpec<P, Q, B>, handler: (input: RouteInput<P, Q, B>) => Promise<Reply>): Route {
  return {
    spec,
    async handle(deps, req, res) {
      const params = parse(spec.params, req.params);
      const query = parse(spec.query, req.query);
      const body = parse(spec.body, req.body);
      const reply = await handler({
        deps,
        params,
        query,
        body,
        get principal() {
          return principalOf(res);
        },
      });
      res.status(reply.status ?? spec.status ?? 200);
      if (reply.body === undefined) res.end();
      else res.json(reply.body);
    },
  };
}

/** "/directives/{id}" (OpenAPI) as "/directives/:id" (Express). */
const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');

export interface MountOptions {
  /** Runs before every route that is not public: body parsing, authentication. */
  guard?: RequestHandler[];
  /** The Idempotency-Key middleware, for the routes marked idempotent. */
  once?: RequestHandler;
}

/** A router serving `routes`: the public ones first, then the guard, then the rest. */
export function routerFor(routes: readonly Route[], deps: RouteDeps, opts: MountOptions = {}): Router {
  const router = Router();
  const mount = (route: Route) => {
    const { method, path, idempotent } = route.spec;
    if (idempotent && !opts.once) throw new Error(`${method} ${path} is idempotent but no middleware was given`);
    const handle: RequestHandler = (req, res) => route.handle(deps, req, res);
    router[method](expressPath(path), ...(idempotent ? [opts.once!, handle] : [handle]));
  };
  routes.filter((r) => r.spec.public).forEach(mount);
  if (opts.guard?.length) router.use(...opts.guard);
  routes.filter((r) => !r.spec.public).forEach(mount);
  return router;
}
