/**
 * `npm start`: the whole stack in one process tree — Temporal dev server (SQLite under
 * .data/, Web UI on 8233), embedded PostgreSQL, migrations, the demo unit tree, the
 * worker, Mailpit (SMTP 1025, web UI 8025) and the mail sender, the webhook sender, and the
 * API. Ctrl-C stops all of it. TEMPORAL_ADDRESS, DATABASE_URL and SMTP_URL switch to
 * existing servers.
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, dashboardBaseUrl, loadConfig } from '../runtime/config';
import { configureLogging } from '../runtime/log';
import { workerMetricsAddress, workerRuntimeOptions } from '../worker/runtime-options';
import { startTracing } from '../runtime/tracing';
import { tracingClientInterceptors } from '../runtime/temporal-tracing';
import { ensureTemporalCli } from '../stack/temporal-cli';
import { startDevServer, ensureSearchAttributes, type DevServer } from '../stack/dev-server';
import { resolveDatabase } from '../stack/database';
import { createDb } from '../read-model/db';
import { upsertUnits } from '../read-model/units';
import { demoTree } from '../domain/units/demo-tree';
import { createCascadeWorker } from '../worker/create-worker';
import { startOutboxSender } from '../worker/outbox-sender';
import { startMailSender } from '../worker/mail-sender';
import { parseOfficeHours } from '../domain/notifications/working-hours';
import { ensureMailpit, startMailpit } from '../stack/mailpit';
import { describeAdminToken, resolveAdminToken } from '../stack/admin-token';
import { createApp } from '../api/app';
import { digestScheduleConfig, ensureDigestSchedule } from '../api/digest-schedule';
import { buildWeb } from '../stack/web-build';
import { startSignIn } from '../stack/local-sign-in';
import { portOpen } from '../stack/ports';
import { temporalConnectionOptions } from '../runtime/temporal-connection';

const say = (line: string) => process.stderr.write(`[start] ${line}\n`);

async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  // Readable lines on a terminal; LOG_FORMAT=json for a log collector.
  configureLogging({ level: config.LOG_LEVEL, format: config.LOG_FORMAT ?? 'pretty' });
  // Our own signal handler stops the parts in order; the SDK must not race it.
  Runtime.install(workerRuntimeOptions(config, { shutdownSignals: [] }));
  const tracing = startTracing(config, { serviceName: 'directive-cascade' });
  const admin = resolveAdminToken(config.CASCADE_ADMIN_TOKEN, config.DATA_DIR);
  const token = admin.token;
  if (buildWeb()) say('Dashboard built (web/dist)');
  const stops: (() => Promise<unknown>)[] = [];
  stops.push(() => tracing.shutdown());
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    for (const stop of stops.reverse()) {
      await stop().catch((err) => say(`while stopping: ${err instanceof Error ? err.message : err}`));
    }
    say('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let address = config.TEMPORAL_ADDRESS;
  let devServer: DevServer | undefined;
  if (!address) {
    const cli = await ensureTemporalCli((l) => say(l));
    say(`Starting the Temporal dev server on 127.0.0.1:${config.TEMPORAL_PORT} (data in ${config.DATA_DIR}/temporal.db)`);
    devServer = await startDevServer({
      cliPath: cli,
      dataDir: config.DATA_DIR,
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      metricsPort: config.TEMPORAL_METRICS_PORT || undefined,
    });
    stops.push(() => devServer!.stop());
    address = devServer.address;
  } else {
    await ensureSearchAttributes(address, config.TEMPORAL_NAMESPACE);
  }

  const database = await resolveDatabase(config, say, { own: true });
  stops.push(() => database.stop());
  const db = createDb(database.url);
  stops.push(() => db.$disconnect());
  const seeded = await upsertUnits(db, demoTree());
  say(`Demo unit tree: ${seeded.created} created, ${seeded.updated} updated, ${seeded.unchanged} unchanged`);

  const native = await NativeConnection.connect({ address });
  stops.push(() => native.close());
  const worker = await createCascadeWorker({
    connection: native,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    tracing,
  });
  const running = worker.run();
  stops.push(async () => {
    worker.shutdown();
    await running;
  });

  if (config.NOTIFY_WEBHOOK_URL) {
    const sender = startOutboxSender({ db, webhookUrl: config.NOTIFY_WEBHOOK_URL, pollMs: config.OUTBOX_POLL_MS });
    stops.push(() => sender.stop());
  }

  let smtpUrl = config.SMTP_URL;
  let mailUi: string | undefined;
  if (!smtpUrl) {
    const binary = await ensureMailpit((l) => say(l));
    const mailpit = await startMailpit({
      binary,
      smtpPort: config.MAILPIT_SMTP_PORT,
      httpPort: config.MAILPIT_UI_PORT,
      databaseFile: path.resolve(config.DATA_DIR, 'mailpit.db'),
      logFile: path.resolve(config.DATA_DIR, 'mailpit.log'),
    });
    stops.push(() => mailpit.stop());
    smtpUrl = mailpit.smtpUrl;
    mailUi = mailpit.httpUrl;
  }
  const mailSender = startMailSender({
    db,
    smtpUrl,
    from: config.MAIL_FROM,
    dashboardUrl: dashboardBaseUrl(config),
    officeHours: parseOfficeHours(config.MAIL_OFFICE_HOURS),
    pollMs: config.OUTBOX_POLL_MS,
  });
  stops.push(() => mailSender.stop());

  const connection = await Connection.connect(temporalConnectionOptions(address));
  stops.push(() => connection.close());
  const interceptors = tracingClientInterceptors(tracing);
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, ...(interceptors ? { interceptors } : {}) });
  await ensureDigestSchedule(client, digestScheduleConfig(config));
  if (!config.OIDC_ISSUER && (await portOpen(config.LOCAL_OIDC_PORT))) {
    throw new Error(`port ${config.LOCAL_OIDC_PORT} is already in use; set LOCAL_OIDC_PORT, or OIDC_ISSUER to your provider`);
  }
  const origins = [...new Set([dashboardBaseUrl(config), `http://localhost:${config.PORT}`, `http://127.0.0.1:${config.PORT}`])];
  const signIn = await startSignIn(config, origins);
  stops.push(() => signIn.stop());
  const app = createApp({ db, client, config: { ...config, CASCADE_ADMIN_TOKEN: token, DATABASE_URL: database.url, ...signIn.config } });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(config.PORT, config.HOST, () => resolve(s));
  });
  stops.push(() => new Promise((resolve) => server.close(resolve)));

  const ui = devServer?.uiUrl ?? '(your Temporal UI)';
  const workerMetrics = workerMetricsAddress(config);
  process.stdout.write(
    [
      '',
      `Directive cascade is up (${((Date.now() - started) / 1000).toFixed(1)}s)`,
      `  API          http://localhost:${config.PORT}/api/v1   (health: http://localhost:${config.PORT}/health)`,
      `  Dashboard    http://localhost:${config.PORT}/dashboard/   (sign in as a demo person of the README, e.g. vanthu.xa@demo.gov.vn / vanthu-xa)`,
      `  Sign-in      ${signIn.local ? `local OpenID Connect provider ${signIn.config.OIDC_ISSUER} (people in ${config.LOCAL_OIDC_PEOPLE})` : signIn.config.OIDC_ISSUER}`,
      `  OpenAPI      http://localhost:${config.PORT}/api/v1/openapi.json`,
      `  Temporal UI  ${ui}`,
      `  E-mail       ${mailUi ? `Mailpit ${mailUi.replace('127.0.0.1', 'localhost')}   (every e-mail sent, SMTP ${smtpUrl})` : 'SMTP_URL'}`,
      `  Temporal     ${address}   namespace ${config.TEMPORAL_NAMESPACE}, task queue ${config.TEMPORAL_TASK_QUEUE}`,
      `  Database     ${database.embedded ? `embedded PostgreSQL (${config.DATA_DIR}/postgres)` : 'DATABASE_URL'}`,
      `  Admin token  ${describeAdminToken(admin)}`,
      '  Metrics      (Prometheus text format; docs/operations.md#observability)',
      `    API        http://localhost:${config.PORT}/metrics`,
      `    Worker     ${workerMetrics ? `http://${workerMetrics}/metrics` : 'off (WORKER_METRICS_PORT=0)'}`,
      `    Temporal   ${devServer && config.TEMPORAL_METRICS_PORT ? `http://127.0.0.1:${config.TEMPORAL_METRICS_PORT}/metrics` : devServer ? 'off (TEMPORAL_METRICS_PORT=0)' : '(your Temporal server)'}`,
      `  Traces       ${tracing.spanProcessor ? `OTLP to ${config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}` : 'off (set OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)'}`,
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
  await running.catch(async (err) => {
    say(`worker stopped: ${err instanceof Error ? err.message : err}`);
    await shutdown('worker failure');
  });
}

main().catch((err) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
  } else {
    process.stderr.write(`start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  process.exit(1);
});
