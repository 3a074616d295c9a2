/**
 * docker-compose.yml cannot be run here (no Docker engine), so this pins down what would
 * otherwise only fail on a real host: the services and their images, published ports,
 * start-up order, health checks, the search attributes registered, and that compose hands
 * the api and worker only variables that runtime/config.ts knows (and that they parse).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { configSchema, loadConfig } from '../runtime/config';
import { searchAttributeTypes } from '../contract/search-attributes';

const root = path.resolve(__dirname, '..');
const composeText = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
const envExample = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
const configKeys = Object.keys(configSchema.shape).sort();

type Env = Record<string, string | undefined>;
type Service = {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  ports?: Array<string | number | { target: number; published: string | number }>;
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  volumes?: Array<string | { source?: string; target: string }>;
  deploy?: { replicas?: number };
  container_name?: string;
  restart?: string;
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

/** The YAML as compose sees it before substitution (merge keys `<<` resolved). */
const raw = YAML.parse(composeText, { merge: true }) as Compose;

/** Compose's variable substitution: $$, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}. */
function substitute(value: string, env: Env): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name?: string, colon?: string, op?: string, arg?: string, bare?: string) => {
      if (match === '$$') return '$';
      if (bare) return env[bare] ?? '';
      const v = env[name!];
      const missing = v === undefined || (colon === ':' && v === '');
      if (op === '-') return missing ? arg! : v!;
      if (op === '?') {
        if (missing) throw new Error(`required variable ${name} is missing: ${arg}`);
        return v!;
      }
      return v ?? '';
    },
  );
}

function substituteAll<T>(node: T, env: Env): T {
  if (typeof node === 'string') return substitute(node, env) as T;
  if (Array.isArray(node)) return node.map((n) => substituteAll(n, env)) as T;
  if (node && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substituteAll(v, env)])) as T;
  }
  return node;
}

/** What `docker compose config` would produce with this environment / .env. */
function resolved(env: Env): Compose {
  return substituteAll(raw, env);
}

const secrets: Env = {
  POSTGRES_PASSWORD: 'db-secret-1234',
  CASCADE_MIGRATOR_PASSWORD: 'migrator-secret-1234',
  CASCADE_APP_DB_PASSWORD: 'app-secret-1234',
  TEMPORAL_DB_PASSWORD: 'temporal-secret-1234',
  CASCADE_ADMIN_TOKEN: 'admin-token-0123456789abcdef',
  GRAFANA_ADMIN_PASSWORD: 'grafana-secret-1234',
  OIDC_CLIENT_SECRET: 'oidc-client-secret-1234',
  SESSION_SECRET: 'session-secret-0123456789abcdef0123456789',
  KEYCLOAK_ADMIN_PASSWORD: 'keycloak-secret-1234',
};

/** Published host port → the host address it is bound to (all interfaces when none). */
function bindings(service: Service): Map<number, string> {
  const out = new Map<number, string>();
  for (const p of service.ports ?? []) {
    const parts = String(p).split('/')[0]!.split(':');
    if (parts.length >= 2) out.set(Number(parts[parts.length - 2]), parts.length === 3 ? parts[0]! : '0.0.0.0');
  }
  return out;
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const i = entry.indexOf('=');
        return i < 0 ? [entry, ''] : [entry.slice(0, i), entry.slice(i + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

function dependsOn(service: Service): Record<string, string> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(deps).map(([d, v]) => [d, v?.condition ?? 'service_started']));
}

/** Published host port → [service, container port]. */
function publishedPorts(compose: Compose): Map<number, [string, number]> {
  const out = new Map<number, [string, number]>();
  for (const [name, svc] of Object.entries(compose.services)) {
    for (const p of svc.ports ?? []) {
      if (typeof p === 'object') {
        out.set(Number(p.published), [name, Number(p.target)]);
        continue;
      }
      const parts = String(p).split('/')[0]!.split(':');
      const target = Number(parts[parts.length - 1]);
      const published = parts.length >= 2 ? Number(parts[parts.length - 2]) : target;
      out.set(published, [name, target]);
    }
  }
  return out;
}

function asArgs(cmd: string | string[] | undefined): string[] {
  if (cmd === undefined) return [];
  return Array.isArray(cmd) ? cmd : cmd.split(/\s+/).filter(Boolean);
}

const appServices = ['api', 'worker'] as const;

describe('docker-compose.yml', () => {
  const compose = resolved(secrets);
  const svc = (name: string): Service => {
    const s = compose.services[name];
    if (!s) throw new Error(`service ${name} is not defined`);
    return s;
  };

  test('when the file is parsed then every service of the production topology is defined', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['api', 'grafana', 'keycloak', 'mailpit', 'migrate', 'postgres', 'prometheus', 'temporal', 'temporal-search-attributes', 'temporal-ui', 'worker'].sort(),
    );
  });

  test('when the infrastructure images are read then they are the pinned versions', () => {
    expect(svc('postgres').image).toBe('postgres:16');
    expect(svc('temporal').image).toBe('temporalio/auto-setup:1.29.1');
    expect(svc('temporal-ui').image).toBe('temporalio/ui:2.42.1');
    expect(svc('mailpit').image).toBe('axllent/mailpit:v1.33.1');
    expect(svc('prometheus').image).toBe('prom/prometheus:v3.16.0');
    expect(svc('grafana').image).toBe('grafana/grafana:12.2.1');
    expect(svc('keycloak').image).toBe('quay.io/keycloak/keycloak:26.4.2');
    expect(svc('temporal-search-attributes').image).toMatch(/^temporalio\/admin-tools:1\.29\.1(\b|-)/);
  });

  test('when the app services are read then they are built from the Dockerfile and pick their role', () => {
    const roles: Record<string, string> = { migrate: 'migrate', api: 'api', worker: 'worker' };
    for (const [name, role] of Object.entries(roles)) {
      const build = svc(name).build;
      const context = typeof build === 'string' ? build : build?.context;
      const file = typeof build === 'object' && build.dockerfile ? build.dockerfile : 'Dockerfile';
      expect({ name, context: path.resolve(root, context ?? '<none>') }).toEqual({ name, context: root });
      expect(fs.existsSync(path.join(root, file))).toBe(true);
      expect({ name, command: asArgs(svc(name).command) }).toEqual({ name, command: [role] });
      const target = typeof build === 'object' ? (build as { target?: string }).target : undefined;
      expect({ name, target }).toEqual({ name, target: name === 'migrate' ? 'migrate' : 'runtime' });
    }
  });

  test('when the Dockerfile is read then it builds on Node 22 LTS with npm ci only, and the runtime image has no devDependencies', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-bookworm-slim$/m);
    expect(dockerfile).not.toMatch(/npm install/);
    const stages = dockerfile.split(/^FROM /m).slice(1);
    const stage = (name: string) => stages.find((s) => new RegExp(`^\\S+ AS ${name}\\n`).test(s)) ?? '';
    expect(stage('prod-deps')).toMatch(/npm ci --omit=dev --ignore-scripts/);
    // What runs carries the patched SDK (WORKFLOW_STACK_TRACES): the postinstall does not run here.
    expect(stage('prod-deps')).toMatch(/^COPY patches \.\/patches$/m);
    expect(stage('prod-deps')).toMatch(/npm ci --omit=dev --ignore-scripts && npx --no-install patch-package --error-on-fail$/m);
    expect(stage('runtime')).toMatch(/^COPY --from=prod-deps \/app\/node_modules \/app\/node_modules$/m);
    expect(stage('runtime')).not.toMatch(/--from=deps\b/);
    expect(stage('build')).toMatch(/rm -rf node_modules/);
    expect(stage('migrate')).toMatch(/^COPY --from=deps \/app\/node_modules/m);
    // The last stage is the default target: the runtime image.
    expect(stages.at(-1)).toMatch(/^\$\{NODE_IMAGE\} AS runtime\n/);
  });

  test('when package-lock.json is read then every optional dependency has an entry, as npm ci requires', () => {
    // A lock written against a registry that lacks some platform builds (as here) leaves them
    // out, and `npm ci` then refuses the whole file on every platform.
    const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { optionalDependencies?: Record<string, string> }>;
    };
    const missing = Object.entries(lock.packages).flatMap(([at, p]) =>
      Object.keys(p.optionalDependencies ?? {})
        .filter((dep) => !lock.packages[`node_modules/${dep}`] && !lock.packages[`${at}/node_modules/${dep}`])
        .map((dep) => `${at || '(root)'} → ${dep}`),
    );
    expect(missing).toEqual([]);
  });

  test('when the Dockerfile is read then its entrypoint knows the roles compose asks for', () => {
    expect(dockerfile).toMatch(/^\s*api\)\s+exec tsx api\/index\.ts/m);
    expect(dockerfile).toMatch(/^\s*worker\)\s+export NODE_OPTIONS="--max-old-space-size=\$\{WORKER_MAX_HEAP_MB:-768\}[^\n]*\n\s+exec tsx worker\/index\.ts/m);
    expect(dockerfile).toMatch(/^\s*migrate\)\s+exec prisma migrate deploy/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  test('when the published ports are listed then the API, the read-only Web UI and the mail catcher are on loopback, and Temporal gRPC and SMTP are not published', () => {
    const ports = publishedPorts(compose);
    expect(ports.get(3000)).toEqual(['api', 3000]);
    expect(ports.get(8233)).toEqual(['temporal-ui', 8080]);
    expect(ports.has(7233)).toBe(false);
    expect(ports.get(8025)).toEqual(['mailpit', 8025]);
    expect(bindings(svc('mailpit')).get(8025)).toBe('127.0.0.1');
    expect(ports.has(1025)).toBe(false);
    expect(environmentOf(svc('worker')).SMTP_URL).toBe('smtp://mailpit:1025');
    expect(svc('temporal').ports ?? []).toEqual([]);
    expect(bindings(svc('api')).get(3000)).toBe('127.0.0.1');
    expect(bindings(svc('temporal-ui')).get(8233)).toBe('127.0.0.1');
    expect(ports.get(9090)).toEqual(['prometheus', 9090]);
    expect(ports.get(3001)).toEqual(['grafana', 3000]);
    expect(bindings(svc('prometheus')).get(9090)).toBe('127.0.0.1');
    expect(bindings(svc('grafana')).get(3001)).toBe('127.0.0.1');
    expect(environmentOf(svc('temporal-ui')).TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    // Inside its container the API listens on every interface; API_BIND moves the published side.
    expect(environmentOf(svc('api')).HOST).toBe('0.0.0.0');
    expect(bindings(resolved({ ...secrets, API_BIND: '10.0.0.5' }).services.api!).get(3000)).toBe('10.0.0.5');
  });

  test('when the database roles are read then the app connects with rows only, the migrator owns the schema, Temporal has its own role, and nobody uses the superuser', () => {
    const app = environmentOf(svc('api')).DATABASE_URL!;
    expect(new URL(app).username).toBe('cascade_app');
    expect(new URL(environmentOf(svc('worker')).DATABASE_URL!).username).toBe('cascade_app');
    expect(new URL(environmentOf(svc('migrate')).DATABASE_URL!).username).toBe('cascade_migrator');
    expect(environmentOf(svc('temporal')).POSTGRES_USER).toBe('temporal');
    expect(environmentOf(svc('temporal')).POSTGRES_PWD).toBe(secrets.TEMPORAL_DB_PASSWORD);
    const mounts = (svc('postgres').volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    expect(mounts).toEqual(
      expect.arrayContaining([
        './deploy/postgres/10-roles.sh:/docker-entrypoint-initdb.d/10-roles.sh:ro',
        './deploy/postgres/roles.sql:/etc/directive-cascade/roles.sql:ro',
      ]),
    );
    const roleScript = fs.readFileSync(path.join(root, 'deploy', 'postgres', '10-roles.sh'), 'utf8');
    expect(roleScript).toContain('-f /etc/directive-cascade/roles.sql');
    for (const v of ['CASCADE_MIGRATOR_PASSWORD', 'CASCADE_APP_DB_PASSWORD', 'TEMPORAL_DB_PASSWORD']) {
      expect(roleScript).toContain(v);
      expect(environmentOf(svc('postgres'))[v]).toBe(secrets[v]);
    }
  });

  test('when the api and worker environments are read then they reach PostgreSQL and Temporal inside the network', () => {
    for (const name of appServices) {
      const env = environmentOf(svc(name));
      expect(env.DATABASE_URL).toBe('postgresql://cascade_app:app-secret-1234@postgres:5432/cascade');
      expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(env.TEMPORAL_NAMESPACE).toBe('default');
      expect(env.TEMPORAL_TASK_QUEUE).toBe('directive-cascade');
    }
    // Only the API authenticates callers: the worker, which never uses the admin token, does not get it.
    expect(environmentOf(svc('api')).CASCADE_ADMIN_TOKEN).toBe(secrets.CASCADE_ADMIN_TOKEN);
    expect(environmentOf(svc('worker'))).not.toHaveProperty('CASCADE_ADMIN_TOKEN');
    expect(environmentOf(svc('api')).PORT).toBe('3000');
    expect(environmentOf(svc('worker'))).not.toHaveProperty('PORT');
    expect(environmentOf(svc('migrate')).DATABASE_URL).toBe('postgresql://cascade_migrator:migrator-secret-1234@postgres:5432/cascade');
  });

  test('when the api and worker variable names are compared with the config schema then every one is a schema key', () => {
    for (const name of appServices) {
      const unknown = Object.keys(environmentOf(svc(name))).filter((k) => !configKeys.includes(k));
      expect({ service: name, unknown }).toEqual({ service: name, unknown: [] });
    }
  });

  test('when the api and worker environments are loaded with loadConfig then they parse', () => {
    for (const name of appServices) {
      const config = loadConfig(environmentOf(svc(name)));
      expect(config.DATABASE_URL).toMatch(/^postgresql:\/\/.+@postgres:5432\//);
      expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(config.NOTIFY_WEBHOOK_URL).toBeUndefined();
    }
  });

  test('when the secrets are not set then compose refuses to start instead of using a default', () => {
    for (const name of Object.keys(secrets)) {
      const without = { ...secrets, [name]: undefined };
      expect(() => resolved(without)).toThrow(new RegExp(name));
    }
  });

  test('when settings are overridden in .env then the api and worker receive them', () => {
    const custom = resolved({ ...secrets, TEMPORAL_NAMESPACE: 'cascade', LOG_LEVEL: 'debug', POSTGRES_DB: 'app' });
    for (const name of appServices) {
      const env = environmentOf(custom.services[name]!);
      expect(env.TEMPORAL_NAMESPACE).toBe('cascade');
      expect(env.LOG_LEVEL).toBe('debug');
      expect(env.DATABASE_URL).toMatch(/@postgres:5432\/app$/);
    }
    // The namespace Temporal creates and the one the attributes go to follow the same setting.
    expect(environmentOf(custom.services.temporal!).DEFAULT_NAMESPACE).toBe('cascade');
    expect(environmentOf(custom.services['temporal-search-attributes']!).NAMESPACE).toBe('cascade');
  });

  test.each([
    ['temporal', 'postgres', 'service_healthy'],
    ['temporal-ui', 'temporal', 'service_healthy'],
    ['temporal-search-attributes', 'temporal', 'service_healthy'],
    ['migrate', 'postgres', 'service_healthy'],
    ['api', 'migrate', 'service_completed_successfully'],
    ['api', 'temporal-search-attributes', 'service_completed_successfully'],
    ['worker', 'migrate', 'service_completed_successfully'],
    ['worker', 'temporal-search-attributes', 'service_completed_successfully'],
  ])('when %s starts then it waits for %s to be %s', (service, dependency, condition) => {
    expect(dependsOn(svc(service))[dependency]).toBe(condition);
  });

  test('when the one-shot steps finish then they are not restarted', () => {
    expect(svc('migrate').restart).toBe('no');
    expect(svc('temporal-search-attributes').restart).toBe('no');
  });

  test.each(['postgres', 'temporal', 'api'])('when %s is checked then it has a health check', (name) => {
    const hc = svc(name).healthcheck;
    expect(hc?.disable).not.toBe(true);
    expect(asArgs(hc?.test).length).toBeGreaterThan(1);
  });

  test('when the health checks are read then each probes the right thing', () => {
    expect(asArgs(svc('postgres').healthcheck?.test).join(' ')).toContain('pg_isready');
    const temporal = asArgs(svc('temporal').healthcheck?.test).join(' ');
    expect(temporal).toContain('temporal operator cluster health --address temporal:7233');
    expect(temporal).toContain('SERVING');
    const api = asArgs(svc('api').healthcheck?.test).join(' ');
    expect(api).toContain('node');
    expect(api).toContain("fetch('http://localhost:3000/health')");
  });

  test('when PostgreSQL is read then its data lives in a named volume', () => {
    const volumes = svc('postgres').volumes ?? [];
    const mount = volumes
      .map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`))
      .find((v) => v.endsWith(':/var/lib/postgresql/data'));
    expect(mount).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount!.split(':')[0]);
  });

  test('when the worker is read then it runs several replicas and nothing stops it from scaling', () => {
    const worker = svc('worker');
    expect(worker.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports ?? []).toEqual([]);
  });

  test('when the search-attribute step runs then it registers exactly the attributes the workflows use', () => {
    const step = svc('temporal-search-attributes');
    const env = environmentOf(step);
    const registered = Object.fromEntries(
      env.SEARCH_ATTRIBUTES!.trim()
        .split(/\s+/)
        .map((spec) => spec.split('=') as [string, string]),
    );
    expect(registered).toEqual(searchAttributeTypes);
    expect(env.NAMESPACE).toBe('default');

    const script = asArgs(step.command).join(' ');
    expect(asArgs(step.entrypoint)).toEqual(['/bin/sh', '-c']);
    expect(script).toContain('temporal operator search-attribute create --namespace "$NAMESPACE" --address temporal:7233');
    expect(script).toContain('for spec in $SEARCH_ATTRIBUTES');
    expect(script).toContain('already exists');
  });
  test('when the monitoring services are read then Prometheus scrapes the api, every worker and the Temporal server with the rules, and Grafana provisions both dashboards', () => {
    const mounts = (name: string) => (svc(name).volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    expect(mounts('prometheus')).toEqual(
      expect.arrayContaining([
        './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
      ]),
    );
    expect(mounts('grafana')).toEqual(
      expect.arrayContaining([
        './deploy/grafana/provisioning:/etc/grafana/provisioning:ro',
        './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro',
      ]),
    );
    for (const m of [...mounts('prometheus'), ...mounts('grafana')].filter((m) => m.startsWith('./'))) {
      expect({ mount: m, exists: fs.existsSync(path.join(root, m.split(':')[0]!)) }).toEqual({ mount: m, exists: true });
    }
    const prometheus = YAML.parse(fs.readFileSync(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: Array<{ job_name: string; static_configs?: Array<{ targets: string[] }>; dns_sd_configs?: Array<{ names: string[]; port: number }> }>;
    };
    const job = (name: string) => prometheus.scrape_configs.find((j) => j.job_name === name);
    // Each target is what the service serves: the API's port, WORKER_METRICS_PORT, PROMETHEUS_ENDPOINT.
    expect(job('cascade-api')?.static_configs?.[0]?.targets).toEqual([`api:${environmentOf(svc('api')).PORT}`]);
    expect(job('cascade-worker')?.dns_sd_configs?.[0]).toMatchObject({ names: ['worker'], port: Number(environmentOf(svc('worker')).WORKER_METRICS_PORT) });
    expect(environmentOf(svc('worker')).WORKER_METRICS_HOST).toBe('0.0.0.0');
    expect(job('temporal-server')?.static_configs?.[0]?.targets).toEqual([`temporal:${environmentOf(svc('temporal')).PROMETHEUS_ENDPOINT!.split(':')[1]}`]);
    expect(environmentOf(svc('grafana')).GF_SECURITY_ADMIN_PASSWORD).toBe(secrets.GRAFANA_ADMIN_PASSWORD);
    expect(() => resolved({ ...secrets, GRAFANA_ADMIN_PASSWORD: undefined })).toThrow(/GRAFANA_ADMIN_PASSWORD/);
  });
});

describe('Keycloak', () => {
  const realm = JSON.parse(fs.readFileSync(path.join(root, 'deploy', 'keycloak', 'cascade-realm.json'), 'utf8')) as {
    clients: Array<{ clientId: string; publicClient: boolean; secret: string; redirectUris: string[]; attributes: Record<string, string>; defaultClientScopes: string[] }>;
    clientScopes: Array<{ name: string; protocolMappers: Array<{ config: Record<string, string> }> }>;
    users: Array<{ email: string; firstName: string; attributes?: Record<string, string[]>; realmRoles: string[]; credentials: Array<{ value: string }> }>;
  };
  const demo = JSON.parse(fs.readFileSync(path.join(root, 'config', 'demo-people.json'), 'utf8')) as {
    people: Array<{ email: string; password: string; name: string; position: string | null; unitCode: string | null; roles: string[] }>;
  };

  test('when compose starts Keycloak then the api signs people in through its realm, with the client and secret the realm imports', () => {
    const compose = resolved(secrets);
    const api = environmentOf(compose.services.api!);
    const keycloak = environmentOf(compose.services.keycloak!);
    const config = loadConfig(api as Env);
    expect(config.OIDC_ISSUER).toBe(`${keycloak.KC_HOSTNAME}/realms/${'cascade'}`);
    expect(config.OIDC_DISCOVERY_URL).toBe('http://keycloak:8080/realms/cascade');
    expect(keycloak.OIDC_CLIENT_SECRET).toBe(config.OIDC_CLIENT_SECRET);
    const client = realm.clients.find((c) => c.clientId === config.OIDC_CLIENT_ID)!;
    expect(client).toMatchObject({ publicClient: false, secret: '${OIDC_CLIENT_SECRET}' });
    expect(client.attributes['pkce.code.challenge.method']).toBe('S256');
    expect(client.redirectUris).toEqual(['${DASHBOARD_ORIGIN:http://localhost:3000}/auth/callback']);
    // The claims the API maps by default come with the scopes it asks for.
    expect(config.OIDC_SCOPES.split(' ').filter((s) => s !== 'openid')).toEqual(expect.arrayContaining(client.defaultClientScopes.filter((s) => s !== 'openid')));
    const claims = realm.clientScopes.find((s) => s.name === 'cascade')!.protocolMappers.map((m) => m.config['claim.name']);
    expect(claims.sort()).toEqual([config.OIDC_CLAIM_POSITION, config.OIDC_CLAIM_ROLES, config.OIDC_CLAIM_UNIT].sort());
    expect(() => resolved({ ...secrets, OIDC_CLIENT_SECRET: undefined })).toThrow(/OIDC_CLIENT_SECRET/);
  });

  test("when the realm is read then its demo users are the local provider's demo people, with the same passwords, units and roles", () => {
    expect(realm.users.map((u) => ({ email: u.email, name: u.firstName, password: u.credentials[0]!.value, unit: u.attributes?.unit_code?.[0] ?? null, roles: u.realmRoles }))).toEqual(
      demo.people.map((p) => ({ email: p.email, name: p.name, password: p.password, unit: p.unitCode, roles: p.roles })),
    );
  });
});

describe('.env.example', () => {
  test('when it is read then every variable of the config schema is documented with a comment', () => {
    const lines = envExample.split('\n');
    const undocumented = configKeys.filter((key) => {
      const i = lines.findIndex((l) => new RegExp(`^#?\\s*${key}=`).test(l));
      return i <= 0 || !lines[i - 1]!.startsWith('#');
    });
    expect(undocumented).toEqual([]);
  });

  test('when docker-compose.yml substitutes a variable then .env.example documents it', () => {
    const used = new Set(Array.from(composeText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g), (m) => m[1]!));
    const missing = [...used].filter((v) => !new RegExp(`^#?\\s*${v}=`, 'm').test(envExample));
    expect(missing).toEqual([]);
  });

  test('when its values are loaded with loadConfig then they parse', () => {
    const values = Object.fromEntries(
      envExample
        .split('\n')
        .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])
        .filter(([k]) => configKeys.includes(k!)),
    );
    expect(() => loadConfig(values)).not.toThrow();
  });
});
