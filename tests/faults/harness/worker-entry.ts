/**
 * The cascade worker as the fault cases run it: a separate process (so it can be
 * `kill -9`ed), built by worker/create-worker.ts from a pre-built workflow bundle (so a
 * restart takes seconds), draining the outbox to FAULT_WEBHOOK_URL when set — what
 * worker/index.ts runs in production, plus an IPC `ready` message. Started by
 * worker-process.ts; stops (drains) on SIGTERM, which the SDK's runtime handles.
 *
 * Environment: FAULT_DATABASE_URL, FAULT_TEMPORAL_ADDRESS, FAULT_TASK_QUEUE,
 * FAULT_BUNDLE_PATH, optional FAULT_WEBHOOK_URL, FAULT_SMTP_URL and FAULT_OUTBOX_POLL_MS.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createDb } from '../../../read-model/db';
import { setLogLevel } from '../../../runtime/log';
import { createCascadeWorker } from '../../../worker/create-worker';
import { startOutboxSender } from '../../../worker/outbox-sender';
import { startMailSender } from '../../../worker/mail-sender';
import { parseOfficeHours } from '../../../domain/notifications/working-hours';

Runtime.install({ logger: new DefaultLogger('WARN') });
setLogLevel('warn');

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const db = createDb(env('FAULT_DATABASE_URL'), 10);
  const connection = await NativeConnection.connect({ address: env('FAULT_TEMPORAL_ADDRESS') });
  const worker = await createCascadeWorker({
    connection,
    namespace: 'default',
    taskQueue: env('FAULT_TASK_QUEUE'),
    db,
    workflowBundle: { codePath: env('FAULT_BUNDLE_PATH') },
  });
  const webhookUrl = process.env.FAULT_WEBHOOK_URL;
  const pollMs = Number(process.env.FAULT_OUTBOX_POLL_MS ?? 500);
  const sender = webhookUrl ? startOutboxSender({ db, webhookUrl, pollMs }) : undefined;
  const smtpUrl = process.env.FAULT_SMTP_URL;
  // The cases' policies are on plain time: no office hours hold a message back.
  const mail = smtpUrl
    ? startMailSender({ db, smtpUrl, from: 'Faults <no-reply@faults.test>', dashboardUrl: 'http://localhost:3000', officeHours: parseOfficeHours('07:30-17:00'), pollMs })
    : undefined;
  // The test process died without stopping us: go too.
  process.on('disconnect', () => process.exit(0));
  const running = worker.run();
  process.send?.({ type: 'ready' });
  await running;
  await sender?.stop();
  await mail?.stop();
  await connection.close();
  await db.$disconnect();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`fault worker failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
