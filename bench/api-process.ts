/**
 * The HTTP API under measurement, run as a child process of bench/cascade.ts, as a deployment
 * runs it (`npm run api`): its own process, database pool and Temporal client, so its CPU is
 * charged to it and not to the benchmark's simulated clients. Reports `{ type: 'ready', port }`
 * over IPC once it listens on a free local port; stops on SIGTERM or SIGINT, or when the benchmark goes away.
 *
 * Environment: the API's own configuration (runtime/config.ts: DATABASE_URL,
 * CASCADE_ADMIN_TOKEN, TEMPORAL_TASK_QUEUE, the rate limits, LOG_LEVEL) and BENCH_ADDRESS.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { createDb } from '../read-model/db';
import { loadConfig } from '../runtime/config';
import { startTracing } from '../runtime/tracing';
import { tracingClientInterceptors } from '../runtime/temporal-tracing';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  // As api/index.ts: spans exported when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set.
  const tracing = startTracing(config, { serviceName: 'bench-api' });
  const db = createDb(config.DATABASE_URL!, 10);
  const connection = await Connection.connect({ address: process.env.BENCH_ADDRESS! });
  const interceptors = tracingClientInterceptors(tracing);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...(interceptors ? { interceptors } : {}) });
  const server = http.createServer(createApp({ db, client, config }));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close(() => {
      void Promise.allSettled([db.$disconnect(), connection.close(), tracing.shutdown()]).then(() => process.exit(0));
    });
    server.closeAllConnections();
  };
  process.on('disconnect', stop);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
