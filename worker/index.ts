/**
 * A worker alone, for the production topology (docker-compose runs one or more): needs
 * DATABASE_URL and TEMPORAL_ADDRESS. Also drains the outbox to the webhook when
 * NOTIFY_WEBHOOK_URL is set, and to people by e-mail when SMTP_URL is set. Serves Temporal's
 * SDK metrics on WORKER_METRICS_PORT; exports traces when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set.
 */
import v8 from 'node:v8';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, dashboardBaseUrl, loadConfig } from '../runtime/config';
import { configureLogging, logger } from '../runtime/log';
import { startTracing } from '../runtime/tracing';
import { createDb } from '../read-model/db';
import { createCascadeWorker } from './create-worker';
import { startOutboxSender } from './outbox-sender';
import { startMailSender } from './mail-sender';
import { parseOfficeHours } from '../domain/notifications/working-hours';
import { workerMetricsAddress, workerRuntimeOptions } from './runtime-options';

async function main(): Promise<void> {
  const config = loadConfig();
  configureLogging({ level: config.LOG_LEVEL, format: config.LOG_FORMAT ?? 'json' });
  Runtime.install(workerRuntimeOptions(config));
  const metricsAt = workerMetricsAddress(config);
  if (metricsAt) logger().info({ metrics: `http://${metricsAt}/metrics` }, 'Temporal SDK metrics for Prometheus');
  const tracing = startTracing(config, { serviceName: 'directive-cascade-worker' });
  warnIfHeapUncapped(config.WORKER_MAX_HEAP_MB);
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) {
    throw new ConfigError(['DATABASE_URL and TEMPORAL_ADDRESS are required to run a worker alone (npm start runs everything)']);
  }
  const db = createDb(config.DATABASE_URL);
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await createCascadeWorker({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    tracing,
  });
  const sender = config.NOTIFY_WEBHOOK_URL
    ? startOutboxSender({ db, webhookUrl: config.NOTIFY_WEBHOOK_URL, pollMs: config.OUTBOX_POLL_MS })
    : undefined;
  const mail = config.SMTP_URL
    ? startMailSender({
        db,
        smtpUrl: config.SMTP_URL,
        from: config.MAIL_FROM,
        dashboardUrl: dashboardBaseUrl(config),
        officeHours: parseOfficeHours(config.MAIL_OFFICE_HOURS),
        pollMs: config.OUTBOX_POLL_MS,
      })
    : undefined;
  // Worker.run() handles SIGINT/SIGTERM itself: it drains and resolves.
  await worker.run();
  await sender?.stop();
  await mail?.stop();
  await connection.close();
  await db.$disconnect();
  await tracing.shutdown();
}

/** Node takes the heap cap only at start-up: say so when the launcher did not pass it. */
function warnIfHeapUncapped(capMb: number): void {
  const limitMb = v8.getHeapStatistics().heap_size_limit / 2 ** 20;
  // The limit V8 reports is the old-space cap plus the young generation (tens of MiB).
  if (limitMb > capMb + 128) {
    logger().warn(
      `the heap limit is ${Math.round(limitMb)} MiB, not WORKER_MAX_HEAP_MB=${capMb}: start the worker with ` +
        `node --max-old-space-size=${capMb} (npm run worker and the image's entry point do), or its memory grows past the cache`,
    );
  }
}

main().catch((err) => {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else logger().error({ err }, 'worker failed');
  process.exit(1);
});
