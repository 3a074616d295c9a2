/**
 * docker-compose.yml describes what `npm run start:cluster` and `npm run test:cluster`
 * actually ran: the server config in the repo (config/temporal-cluster/server.yaml) reads
 * the same variables as compose's temporalio/auto-setup image, and every value compose sets
 * for them equals the default the config file ran with here, except the ones that only
 * say where things are (hosts, credentials, paths). The dynamic config file is the one
 * compose mounts; the images are the versions provisioned here. When the server binary is
 * already built (no build in the default test run) the server itself validates the dynamic
 * config and renders its config with compose's environment.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { CLUSTER_CONFIG_DIR, DEFAULT_TEMPORAL_DATABASES } from '../stack/cluster';
import {
  findTemporalServer,
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_VERSION,
} from '../stack/temporal-server-build';

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const serverTemplate = read(`${CLUSTER_CONFIG_DIR}/server.yaml`);
const uiTemplate = read(`${CLUSTER_CONFIG_DIR}/ui.yaml`);
const dynamicConfig = YAML.parse(read(`${CLUSTER_CONFIG_DIR}/dynamicconfig.yaml`)) as Record<
  string,
  { value: unknown }[]
>;

type Service = {
  image?: string;
  environment?: Record<string, string | number | null>;
  volumes?: string[];
  ports?: string[];
};
const compose = YAML.parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const env = (service: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(compose.services[service]?.environment ?? {}).map(([k, v]) => [
      k,
      v == null ? '' : String(v),
    ]),
  );

/** `env "NAME" | default "VALUE"` in a config template: NAME → VALUE. */
function templateDefaults(template: string): Map<string, string> {
  return new Map(
    Array.from(template.matchAll(/env "(\w+)" \| default "([^"]*)"/g), (m) => [m[1]!, m[2]!]),
  );
}

/** Where things are, not how they behave: differ between this machine and compose by design. */
const LOCATION_VARIABLES = new Set([
  'POSTGRES_SEEDS',
  'DB_PORT',
  'POSTGRES_USER',
  'POSTGRES_PWD',
  'BIND_ON_IP',
  'TEMPORAL_BROADCAST_ADDRESS',
  'DYNAMIC_CONFIG_FILE_PATH',
  'LOG_LEVEL',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_UI_HOST',
  'TEMPORAL_CORS_ORIGINS',
]);

describe('the cluster config in the repo and docker-compose.yml', () => {
  const temporal = env('temporal');
  const defaults = templateDefaults(serverTemplate);

  test('when the shard count is read then both say 4 and the config file fixes it (no variable)', () => {
    expect(serverTemplate).toMatch(/^ {2}numHistoryShards: 4$/m);
    expect(serverTemplate).not.toMatch(/numHistoryShards: \{\{/);
    expect(temporal.NUM_HISTORY_SHARDS).toBe('4');
  });

  test('when the persistence is read then both use the postgres12 plugin with the same database names', () => {
    expect(Array.from(serverTemplate.matchAll(/pluginName: (\S+)/g), (m) => m[1])).toEqual([
      'postgres12',
      'postgres12',
    ]);
    expect(temporal.DB).toBe('postgres12');
    expect(defaults.get('DBNAME')).toBe(DEFAULT_TEMPORAL_DATABASES.temporal);
    expect(defaults.get('VISIBILITY_DBNAME')).toBe(DEFAULT_TEMPORAL_DATABASES.visibility);
  });

  test('when compose sets a variable the server config reads then it sets the value that ran here', () => {
    const shared = [...defaults.keys()].filter(
      (name) => name in temporal && !LOCATION_VARIABLES.has(name),
    );
    expect(shared).toEqual(
      expect.arrayContaining([
        'DBNAME',
        'VISIBILITY_DBNAME',
        'SQL_MAX_CONNS',
        'SQL_MAX_IDLE_CONNS',
        'SQL_VIS_MAX_CONNS',
        'SQL_VIS_MAX_IDLE_CONNS',
      ]),
    );
    const differing = shared
      .filter((name) => temporal[name] !== defaults.get(name))
      .map((name) => `${name}: compose ${temporal[name]}, config ${defaults.get(name)}`);
    expect(differing).toEqual([]);
  });

  test('when the dynamic config is read then compose mounts the repo file where it tells the server to look', () => {
    const mount = (compose.services.temporal?.volumes ?? []).find((v) =>
      v.startsWith(`./${CLUSTER_CONFIG_DIR}/dynamicconfig.yaml:`),
    );
    expect(mount?.split(':')[1]).toBe(temporal.DYNAMIC_CONFIG_FILE_PATH);
    expect(defaults.get('DYNAMIC_CONFIG_FILE_PATH')).toBe(
      `${CLUSTER_CONFIG_DIR}/dynamicconfig.yaml`,
    );
  });

  test('when the dynamic config is compared with the dev server flags then the rate limits are the same', () => {
    const devServer = read('stack/dev-server.ts');
    for (const key of ['frontend.namespaceRPS', 'frontend.rps']) {
      const flag = new RegExp(`'${key.replace('.', '\\.')}=(\\d+)'`).exec(devServer);
      expect({ key, value: dynamicConfig[key]?.[0]?.value }).toEqual({
        key,
        value: Number(flag?.[1]),
      });
    }
  });

  test('when the images are read then they are the server and UI versions provisioned here', () => {
    expect(compose.services.temporal?.image).toBe(
      `temporalio/auto-setup:${TEMPORAL_SERVER_VERSION.slice(1)}`,
    );
    expect(compose.services['temporal-ui']?.image).toBe(
      `temporalio/ui:${TEMPORAL_UI_VERSION.slice(1)}`,
    );
  });

  test('when the UI config is read then compose sets its variables and publishes its default port', () => {
    const ui = env('temporal-ui');
    const uiDefaults = templateDefaults(uiTemplate);
    for (const name of [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_DEFAULT_NAMESPACE',
      'TEMPORAL_CORS_ORIGINS',
    ]) {
      expect({ name, set: name in ui }).toEqual({ name, set: true });
    }
    expect(ui.TEMPORAL_CORS_ORIGINS).toBe(uiDefaults.get('TEMPORAL_CORS_ORIGINS'));
    // "[host address:]published:target": the published port is the one before the target.
    const published = (compose.services['temporal-ui']?.ports ?? []).map((p) => p.split(':').slice(-2)[0]);
    expect(published).toContain(uiDefaults.get('TEMPORAL_UI_PORT'));
  });

  const binaries = findTemporalServer();
  const withServer = binaries ? test : test.skip;

  withServer('when the server validates the dynamic config then it knows every key', () => {
    const run = spawnSync(
      binaries!.server,
      ['validate-dynamic-config', `${CLUSTER_CONFIG_DIR}/dynamicconfig.yaml`],
      { cwd: root, encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).not.toMatch(/error|warning/);
  });

  withServer(
    "when the server renders its config with compose's environment then shards, plugin and databases match",
    () => {
      const run = spawnSync(
        binaries!.server,
        ['--root', root, '--config', CLUSTER_CONFIG_DIR, '--env', 'server', 'render-config'],
        {
          cwd: root,
          encoding: 'utf8',
          env: { PATH: process.env.PATH, ...temporal, POSTGRES_PWD: 'secret' },
        },
      );
      expect(run.status).toBe(0);
      const rendered = YAML.parse(run.stdout) as {
        persistence: {
          numHistoryShards: number;
          datastores: Record<
            string,
            { sql: { pluginName: string; databaseName: string; connectAddr: string } }
          >;
        };
      };
      expect(rendered.persistence.numHistoryShards).toBe(4);
      const stores = Object.values(rendered.persistence.datastores).map((d) => d.sql);
      expect(stores).toEqual([
        expect.objectContaining({
          pluginName: 'postgres12',
          databaseName: 'temporal',
          connectAddr: 'postgres:5432',
        }),
        expect.objectContaining({
          pluginName: 'postgres12',
          databaseName: 'temporal_visibility',
          connectAddr: 'postgres:5432',
        }),
      ]);
    },
  );
});
