/**
 * `--server cluster`: each phase runs on the production Temporal server instead of the dev
 * server — `temporal-server` 1.29.1 built from go.temporal.io/server (stack/cluster.ts,
 * config/temporal-cluster/server.yaml: 4 history shards, PostgreSQL persistence and SQL
 * visibility) with an embedded PostgreSQL of its own in the phase's temp dir, so its
 * database work is measured apart from the read model's. Returned in the dev server's
 * shape, so the phases start either the same way; temporalProbes() names the processes
 * to charge CPU to.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DevServer } from '../../stack/dev-server';
import { postgresServerOf, startTemporalCluster } from '../../stack/cluster';
import { freePort } from '../../stack/ports';
import { startEmbeddedPostgres } from '../../stack/postgres';
import { ensureTemporalServer } from '../../stack/temporal-server-build';
import { onCleanup, trackChild } from './cleanup';
import { log, type CpuProbe } from './measure';

/** Postmaster pid of the PostgreSQL behind each cluster started here. */
const clusterPostgres = new WeakMap<DevServer, number | undefined>();

/** Starts PostgreSQL and the Temporal server with their data in `dir`; both registered for cleanup. */
export async function startClusterTemporal(dir: string): Promise<DevServer> {
  const binaries = await ensureTemporalServer((line) => log(line));
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as `postgres` and must enter it
  log(`cluster: starting PostgreSQL and the Temporal server (4 shards) in ${dir}`);
  const pg = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'pg'),
    port: await freePort(),
    database: 'postgres',
  });
  onCleanup('cluster PostgreSQL', () => pg.stop());
  const cluster = await startTemporalCluster({
    binaries,
    dataDir: dir,
    postgres: postgresServerOf(pg.url),
    frontendPort: await freePort(),
    namespace: 'default',
  });
  trackChild(cluster.server);
  onCleanup(`Temporal server ${cluster.address}`, () => cluster.stop());
  const server: DevServer = {
    address: cluster.address,
    uiUrl: undefined,
    process: cluster.server,
    stop: () => cluster.stop(),
  };
  clusterPostgres.set(server, pg.pid ?? undefined);
  return server;
}

/** The process trees a phase's Temporal costs: the dev server, or the server and its PostgreSQL. */
export function temporalProbes(server: DevServer): CpuProbe[] {
  if (!clusterPostgres.has(server)) return [{ label: 'dev server', pid: () => server.process.pid }];
  return [
    { label: 'temporal server', pid: () => server.process.pid },
    { label: 'temporal postgres', pid: () => clusterPostgres.get(server) },
  ];
}
