import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../read-model/db';
import { sleep } from '../stack/wait';
import { drainOnce } from '../worker/outbox-sender';
import { testDb, uniqueSuffix } from './harness/stack';

let db: Db;
let server: http.Server;
let url: string;
const received: { id: string | undefined; body: { id: string } }[] = [];
/** Message ids whose next delivery the webhook answers with 503. */
const failOnce = new Set<string>();

beforeAll(async () => {
  db = testDb();
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const messageId = req.headers['x-cascade-message-id'] as string;
      if (failOnce.delete(messageId)) {
        res.writeHead(503).end();
        return;
      }
      received.push({ id: req.headers['x-cascade-message-id'] as string | undefined, body: JSON.parse(raw) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  server.close();
  await db.$disconnect();
});

describe('the notification outbox', () => {
  test('when the webhook fails once then the message is retried later and delivered once with its id', async () => {
    const id = `test-${uniqueSuffix()}#1/0`;
    await db.outboxMessage.create({
      data: { id, directiveId: 'd', kind: 'escalation_remind', recipientUnit: 'X', payload: { id, kind: 'escalation_remind' } },
    });
    failOnce.add(id);
    await drainOnce({ db, webhookUrl: url, pollMs: 10, maxBackoffMs: 1 });
    let row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('PENDING');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toBe('HTTP 503');

    await sleep(20);
    await drainOnce({ db, webhookUrl: url, pollMs: 10, maxBackoffMs: 1 });
    row = await db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe('DELIVERED');
    const deliveries = received.filter((r) => r.id === id);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.body.id).toBe(id);

    // Delivered rows are never sent again.
    await drainOnce({ db, webhookUrl: url, pollMs: 10, maxBackoffMs: 1 });
    expect(received.filter((r) => r.id === id)).toHaveLength(1);
  });
});
