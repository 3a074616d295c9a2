/**
 * Runs the API alone (the docker image's entry point): config from the environment,
 * PostgreSQL at DATABASE_URL, Temporal at TEMPORAL_ADDRESS, graceful shutdown on
 * SIGINT/SIGTERM (stop accepting, finish in-flight requests, close connections).
 */
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadConfig } from '../runtime/config';
import { createDb } from '../read-model/db';
import { configureLogging, log } from '../runtime/log';
import { startTracing } from '../runtime/tracing';
import { tracingClientInterceptors } from '../runtime/temporal-tracing';
import { temporalConnectionOptions } from '../runtime/temporal-connection';
import { createApp } from './app';
import { digestScheduleConfig, ensureDigestSchedule } from './digest-schedule';

async function main(): Promise<void> {
  const config = loadConfig();
  configureLogging({ level: config.LOG_LEVEL, format: config.LOG_FORMAT ?? 'json' });
  const missing = (['DATABASE_URL', 'TEMPORAL_ADDRESS', 'CASCADE_ADMIN_TOKEN'] as const).filter((k) => !config[k]);
  if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required to run the API on its own (npm start embeds everything)`));

  const tracing = startTracing(config, { serviceName: 'directive-cascade-api' });
  const db = createDb(config.DATABASE_URL!);
  const connection = await Connection.connect(temporalConnectionOptions(config.TEMPORAL_ADDRESS!));
  const interceptors = tracingClientInterceptors(tracing);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...(interceptors ? { interceptors } : {}) });
  await ensureDigestSchedule(client, digestScheduleConfig(config));
  const app = createApp({ db, client, config });
  const server: Server = app.listen(config.PORT, config.HOST, () => log('info', 'API listening', { host: config.HOST, port: config.PORT }));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutting down', { signal });
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(() => {
      void Promise.allSettled([connection.close(), db.$disconnect(), tracing.shutdown()]).then(() => process.exit(0));
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
  } else {
    log('error', 'API failed to start', { err });
  }
  process.exit(1);
});
