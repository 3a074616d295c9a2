/**
 * Configuration, parsed once at start-up from the environment by one Zod schema.
 * A bad value stops start-up with a message that names the variable.
 */
import { z } from 'zod';

const durationMs = z.coerce.number().int().positive();
const count = z.coerce.number().int().positive();
/** An ISO-8601 duration of plain time (no years or months), e.g. PT1M, P1D. */
const isoDuration = z
  .string()
  .regex(/^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'must be an ISO-8601 duration such as PT1M or P1D');

export const configSchema = z.object({
  /** Existing PostgreSQL; unset means an embedded PostgreSQL under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection URL')
    .optional(),
  /** Existing Temporal frontend (host:port); unset means a local dev server. */
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port, e.g. localhost:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('directive-cascade'),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  /** Where the dashboard links an assignment's workflow; unset means http://localhost:TEMPORAL_UI_PORT. */
  TEMPORAL_UI_URL: z.string().url().optional(),
  TEMPORAL_PORT: z.coerce.number().int().min(1).max(65535).default(7233),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** The address the API listens on; 0.0.0.0 (all interfaces) only behind a TLS-terminating proxy. */
  HOST: z.string().min(1).default('127.0.0.1'),
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(5433),
  DATA_DIR: z.string().min(1).default('.data'),
  /** Admin bearer token; unset means one is generated and kept under DATA_DIR. */
  CASCADE_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where the outbox sender POSTs notifications; unset keeps them in the outbox table. */
  NOTIFY_WEBHOOK_URL: z.string().url().optional(),
  /** When the morning digest goes out, local time in Vietnam (HH:MM), on working days. */
  DIGEST_AT: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must look like 07:30').default('07:30'),
  /** How many working days ahead the digest's "due soon" reaches. */
  DIGEST_DUE_SOON_DAYS: z.coerce.number().int().min(0).max(20).default(3),
  OUTBOX_POLL_MS: durationMs.default(1000),
  /**
   * The SMTP server notifications to people go through (smtp://host:port, smtps://user:pass@host).
   * Unset: `npm start` runs Mailpit and sends there; a worker alone sends no e-mail.
   */
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL').optional(),
  /** The From of every e-mail. */
  MAIL_FROM: z.string().min(3).default('Theo dõi văn bản chỉ đạo <no-reply@directive-cascade.local>'),
  /** Where e-mails link the dashboard; unset means http://localhost:PORT. */
  DASHBOARD_URL: z.string().url().optional(),
  /** Office hours (local time in Vietnam, working days of the policy's calendar) when e-mail to people goes out. */
  MAIL_OFFICE_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/, 'must look like 07:30-17:00')
    .default('07:30-17:00'),
  /** The local mail catcher `npm start` runs when SMTP_URL is unset: its SMTP and web UI/API ports. */
  MAILPIT_SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(1025),
  MAILPIT_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8025),
  // Sign-in of people (docs/security.md#sign-in): OpenID Connect, authorization code + PKCE.
  /**
   * The OpenID Connect provider people sign in with (Keycloak and the like). Unset: no sign-in
   * page, only bearer tokens; `npm start` runs a local provider and sets it.
   */
  OIDC_ISSUER: z.string().url().optional(),
  /**
   * Where the API reads the provider's metadata when that differs from the issuer browsers
   * use (a provider reached on an internal network); the metadata must name OIDC_ISSUER.
   */
  OIDC_DISCOVERY_URL: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).default('cascade-dashboard'),
  /** The client's secret at the provider (client_secret_basic); required with OIDC_ISSUER. */
  OIDC_CLIENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Where the provider sends the browser back; unset: /auth/callback on the host the browser used. */
  OIDC_REDIRECT_URI: z.string().url().optional(),
  OIDC_SCOPES: z.string().min(6).default('openid email profile cascade'),
  /**
   * Where a signed-in person's unit and roles come from: `claims` (the provider's, below; the
   * person is recorded or updated at each sign-in) or `records` (the ones the admin recorded
   * under /api/v1/people; only recorded people may sign in).
   */
  OIDC_PEOPLE_FROM: z.enum(['claims', 'records']).default('claims'),
  /** Which claims name the person, their unit and roles; a dotted path reaches into an object (realm_access.roles). */
  OIDC_CLAIM_EMAIL: z.string().min(1).default('email'),
  OIDC_CLAIM_NAME: z.string().min(1).default('name'),
  OIDC_CLAIM_POSITION: z.string().min(1).default('position'),
  OIDC_CLAIM_UNIT: z.string().min(1).default('unit_code'),
  OIDC_CLAIM_ROLES: z.string().min(1).default('roles'),
  /** The role (in OIDC_CLAIM_ROLES) that makes a person a system admin. */
  OIDC_ADMIN_ROLE: z.string().min(1).default('admin'),
  /** Signs the session cookie; required with OIDC_ISSUER (npm start keeps one under DATA_DIR). */
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** A session ends after this long without a request, and after SESSION_ABSOLUTE_HOURS whatever happens. */
  SESSION_IDLE_MINUTES: count.max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: count.max(24 * 7).default(10),
  /** The local provider `npm start` runs (no OIDC_ISSUER): its port and people. */
  LOCAL_OIDC_PORT: z.coerce.number().int().min(1).max(65535).default(8180),
  LOCAL_OIDC_PEOPLE: z.string().min(1).default('config/demo-people.json'),
  /** Children started directly by one workflow before relays take over (server limit 2,000). */
  CASCADE_MAX_FANOUT: z.coerce.number().int().min(2).max(1000).default(500),
  /**
   * Children one workflow starts at once (per workflow task) when it forwards; fixed for a
   * cascade when it is issued (it travels in the workflows' inputs). Waves of 8 deliver one
   * national cascade faster than one child at a time; see the performance page for the figures.
   */
  CASCADE_START_WAVE: z.coerce.number().int().min(1).max(50).default(8),
  /** How long a unit action waits for its workflow before the API answers 503. */
  UPDATE_TIMEOUT_MS: durationMs.default(20_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** `json` (one object a line, for a log collector) or `pretty` (readable lines); unset: `npm start` pretty, the rest json. */
  LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  /** The largest document file /documents/parse accepts (bytes; larger: 413 FILE_TOO_LARGE). */
  DOCUMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(200 * 1024 * 1024).default(20 * 1024 * 1024),
  /** Where kept document files live: a directory (FILE_STORE_DIR) or an S3-compatible bucket (S3_*). */
  FILE_STORE: z.enum(['directory', 's3']).default('directory'),
  /** The directory of kept files; unset means DATA_DIR/files. */
  FILE_STORE_DIR: z.string().min(1).optional(),
  /** The bucket of kept files with FILE_STORE=s3 (required then). */
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  /** An S3-compatible server's URL (MinIO, Ceph…); unset means AWS. */
  S3_ENDPOINT: z.string().url().optional(),
  /** Path-style addressing (endpoint/bucket/key), which most S3-compatible servers need. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('true'),
  /** Credentials; unset means the SDK's default chain (environment, instance role). */
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  REQUEST_BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'must look like 100kb or 1mb').default('256kb'),
  /** Rate limits (429 with Retry-After), counted in PostgreSQL over RATE_LIMIT_WINDOW_MS, shared by every API process. */
  RATE_LIMIT_WINDOW_MS: durationMs.default(60_000),
  /** Requests one token (the admin's included) may make per window. */
  RATE_LIMIT_PER_TOKEN: count.default(600),
  /** Requests one client address may make per window without a valid token (a 401 included). */
  RATE_LIMIT_PER_CLIENT: count.default(300),
  /**
   * API processes with the same namespace over one database share their rate-limit counters;
   * only a second deployment on the same database (or a test) needs another.
   */
  RATE_LIMIT_NAMESPACE: z.string().min(1).max(100).default('api'),
  /** How long /health answers from its last probe of the database and Temporal. */
  HEALTH_CACHE_MS: z.coerce.number().int().min(0).default(2000),
  /** Open cascades (active root directives) one issuer may have; the admin is not bound by it. */
  CASCADE_MAX_OPEN_PER_ISSUER: count.default(50),
  /** Units one directive may reach (its recipients' subtrees) when a unit token issues it; more needs the admin. */
  // The default lets the centre reach the whole 2025 administration (3,355 units below VN).
  CASCADE_MAX_REACH: count.default(4000),
  /**
   * Task parts (one workflow each: a task's lead and each coordinating unit) one document may
   * carry, whoever issues it; a unit token's are also counted in its reach.
   */
  CASCADE_MAX_TASK_PARTS: count.default(1000),
  /** Shortest ackWithin, concretizeWithin and reportEvery a directive may set. */
  CASCADE_MIN_DEADLINE: isoDuration.default('PT1M'),
  /** Shortest gap between two rungs of an escalation ladder (the first may fire at the deadline). */
  CASCADE_MIN_LADDER_STEP: isoDuration.default('PT1M'),
  /** Lifetime of a unit token when its request names none, and the longest one may ask for. */
  TOKEN_TTL_DAYS: count.max(3650).default(90),
  TOKEN_MAX_TTL_DAYS: count.max(3650).default(365),
  /** How long an Idempotency-Key is remembered, and how many one token may hold at once. */
  IDEMPOTENCY_TTL_HOURS: count.max(24 * 30).default(24),
  IDEMPOTENCY_MAX_PER_TOKEN: count.default(1000),
  /**
   * Workflows a worker keeps cached. Sized for memory, not for the cascade: 12,000 (one per
   * open unit of a national-2019 cascade) took the worker to 3.1 GiB. With 1,000 and the
   * worker's heap capped (NODE_OPTIONS=--max-old-space-size=768) its peak stayed at
   * 0.8-0.95 GiB through national cascades; evicted workflows replay their history when
   * woken (the performance page has the measurements).
   */
  WORKER_MAX_CACHED_WORKFLOWS: count.default(1000),
  /**
   * Workflows the parents' worker keeps cached: assignments of units with units below them
   * (34 provinces a 2025 cascade) and relays, on their own task queue, so that thousands of
   * leaves never evict them (contract/task-queues.ts).
   */
  WORKER_MAX_CACHED_PARENTS: count.default(250),
  /**
   * Seconds a workflow task waits on a worker's own (sticky) queue before the server hands it
   * to the shared queue. A worker that died (`kill -9`) leaves its workflows' next tasks on
   * its sticky queue for this long; a live worker too busy to take a task within it sees that
   * workflow replayed elsewhere. docs/reliability.md ("Recovery") measures the choice.
   */
  WORKER_STICKY_TIMEOUT_S: count.max(60).default(10),
  /**
   * The worker process's V8 old-space cap (MiB). Node takes it only at start-up, so the
   * launchers pass it (`--max-old-space-size`: the image's entry point, `npm run worker`,
   * stack/app-processes.ts); a worker started without it warns. Without a cap V8 lets the
   * heap grow well past the live set (1.3 GiB with a cache of 1,500).
   */
  WORKER_MAX_HEAP_MB: count.default(768),
  /**
   * Workflow stack traces (the Temporal UI's Stack Trace tab). `on` makes the SDK capture and
   * source-map a stack for every promise workflow code creates (sdk-typescript#1587): 24-39 %
   * of the worker's CPU on a national cascade here. `off` (the default)
   * leaves that hook out (worker/stack-traces.ts); turn it on to debug a stuck workflow.
   */
  WORKFLOW_STACK_TRACES: z.enum(['on', 'off']).default('off'),

  /**
   * Where each worker process serves Temporal's SDK metrics for Prometheus (the Core runtime's
   * exporter, Temporal's default metric names: /metrics on this port). 0 turns it off.
   */
  WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /**
   * Where the Temporal server that `npm start` and `npm run start:cluster` run serves its own
   * metrics for Prometheus (http://127.0.0.1:<port>/metrics). 0 turns them off.
   */
  TEMPORAL_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  /** The address the worker's metrics listen on; 0.0.0.0 inside a container network only. */
  WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * How long the API keeps the business metrics it counted from the read model: scrapes within
   * this window (several Prometheus servers, a Grafana refresh) cost no query.
   */
  BUSINESS_METRICS_CACHE_MS: z.coerce.number().int().min(0).default(10_000),
  /**
   * Traces: where spans go over OTLP/HTTP (e.g. http://otel-collector:4318/v1/traces). Unset
   * means no tracing at all: no span is recorded and the workflows run without the interceptors.
   */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** The service name spans carry; unset means directive-cascade-api / -worker by process. */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),

  // Where the stack (npm start, the tests' harness) finds or builds the tools it runs. Each
  // path names an existing binary; unset means the user cache, then PATH, then a build.
  /** The directory of the user cache (XDG); unset means ~/.cache. Built tools are kept under it. */
  XDG_CACHE_HOME: z.string().min(1).optional(),
  /** The executable search path, where an installed tool is looked for. */
  PATH: z.string().default(''),
  /** The production Temporal server, its SQL schema tool and the UI server (npm run start:cluster). */
  TEMPORAL_SERVER_PATH: z.string().min(1).optional(),
  TEMPORAL_SQL_TOOL_PATH: z.string().min(1).optional(),
  TEMPORAL_UI_SERVER_PATH: z.string().min(1).optional(),
  /** Mailpit, the local mail catcher (npm start, the tests). */
  MAILPIT_PATH: z.string().min(1).optional(),
  /** The Java SDK's time-skipping test server, and the Java runtime that runs it. */
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),
  JAVA_HOME: z.string().min(1).optional(),
  /** Prometheus's promtool (rule and exposition checks in the tests). */
  PROMTOOL_PATH: z.string().min(1).optional(),
  /** The headless browser of the dashboard's tests and benchmark. */
  CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
  /** The schemathesis command the contract test runs; unset means a private install under the cache. */
  SCHEMATHESIS_PATH: z.string().min(1).optional(),
  /**
   * Engine files the Prisma CLI checks for before `prisma generate` although the client does
   * not use them (the pg driver adapter runs every query); unset means a placeholder file.
   */
  PRISMA_SCHEMA_ENGINE_BINARY: z.string().min(1).optional(),
  PRISMA_QUERY_ENGINE_LIBRARY: z.string().min(1).optional(),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * The environment a child process starts with: this process's, with `overrides` on top
 * (an undefined value removes the variable). Children read their own configuration.
 */
export function childEnv(overrides: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...overrides };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/**
 * LOG_LEVEL alone, for the logger that exists before an entry point loads the configuration
 * (a bad value gives the default here; loadConfig refuses it).
 */
export function logLevelFromEnv(): Config['LOG_LEVEL'] {
  const parsed = configSchema.shape.LOG_LEVEL.safeParse(process.env.LOG_LEVEL || undefined);
  return parsed.success ? parsed.data : 'info';
}

/** Where e-mails and calendar feeds link the dashboard: DASHBOARD_URL, else this host's API. */
export function dashboardBaseUrl(config: Pick<Config, 'DASHBOARD_URL' | 'PORT'>): string {
  return (config.DASHBOARD_URL ?? `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset": docker-compose and shells often pass VAR= for optional values.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const missing = result.data.OIDC_ISSUER
    ? (['OIDC_CLIENT_SECRET', 'SESSION_SECRET'] as const).filter((name) => !result.data[name])
    : [];
  if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name}: required with OIDC_ISSUER`));
  return result.data;
}
