/**
 * The outbox sender against a local webhook that is slow, then failing, then fine: nothing is
 * lost, nothing delivered is posted again, and a message is re-posted only after its
 * back-off or lease. Leases and timeouts are short so that the file runs in seconds; no
 * assertion depends on how fast the machine is.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '../read-model/db';
import { claimOutboxBatch, markDelivered, markFailed } from '../read-model/outbox';
import { drainOnce, startOutboxSender, type OutboxSenderOptions } from '../worker/outbox-sender';
import { waitFor } from '../stack/wait';
import { testDb, uniqueSuffix } from './harness/stack';
import { setLogLevel } from '../runtime/log';

interface Post {
  id: string;
  at: number;
  answer: number;
}

let db: Db;
let server: http.Server;
let url: string;
const posts: Post[] = [];
/** How the webhook answers the n-th call (0-based) for one message id; others get 204. */
let script: (
  id: string,
  call: number,
) => { status: number; delayMs?: number; hold?: Promise<void> } = () => ({ status: 204 });

beforeAll(async () => {
  setLogLevel('error'); // every scripted failure would log a warning
  db = testDb();
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = String(req.headers['x-cascade-message-id']);
      const call = posts.filter((p) => p.id === id).length;
      const { status, delayMs, hold } = script(id, call);
      posts.push({ id, at: Date.now(), answer: status });
      const answer = () => {
        if (!res.destroyed) res.writeHead(status).end();
      };
      if (hold) void hold.then(answer);
      else if (delayMs) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
  await db.$disconnect();
});

/** Pending messages of one test, created oldest first. */
async function enqueue(prefix: string, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}#1/${i}`);
  for (const id of ids) {
    await db.outboxMessage.create({
      data: {
        id,
        directiveId: prefix,
        kind: 'escalation_remind',
        recipientUnit: 'X',
        payload: { id, kind: 'escalation_remind' },
      },
    });
  }
  return ids;
}

/** Sends whatever else is due in the shared database, so a test's claim takes only its own. */
async function drainEverythingElse(): Promise<void> {
  script = () => ({ status: 204 });
  while ((await drainOnce({ db, webhookUrl: url, pollMs: 10, batchSize: 500 })) > 0);
}

const rows = (directiveId: string) =>
  db.outboxMessage.findMany({
    where: { directiveId },
    orderBy: { id: 'asc' },
    select: { id: true, status: true, attempts: true },
  });

describe('the outbox sender', () => {
  test('when one webhook call hangs then the messages already delivered are marked at once, not when the batch ends', async () => {
    const prefix = `hang-${uniqueSuffix()}`;
    const [first, slow, last] = await enqueue(prefix, 3);
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    script = (id) => (id === slow ? { status: 204, hold } : { status: 204 });
    // One lane, so the hanging call blocks the rest of its batch; a batch big enough to take
    // every pending message of the database.
    const drained = drainOnce({
      db,
      webhookUrl: url,
      pollMs: 10,
      batchSize: 1000,
      concurrency: 1,
      requestTimeoutMs: 60_000,
    });
    try {
      await waitFor(
        async () => posts.some((p) => p.id === slow),
        Boolean,
        'the slow call to reach the webhook',
      );
      const marked = await waitFor(
        () => db.outboxMessage.findUniqueOrThrow({ where: { id: first! } }),
        (r) => r.status === 'DELIVERED',
        'the first message marked delivered while the slow call is in flight',
        5_000, // well before the old sender's 10 s abort would have ended its transaction
      );
      expect(marked.attempts).toBe(1);
    } finally {
      release();
      await drained;
    }
    expect((await rows(prefix)).map((r) => r.status)).toEqual([
      'DELIVERED',
      'DELIVERED',
      'DELIVERED',
    ]);
    expect(posts.filter((p) => p.id === last)).toHaveLength(1);
  });

  test('when the webhook is slow, then failing, then fine then every message is delivered once and re-posted only after its back-off', async () => {
    const prefix = `flaky-${uniqueSuffix()}`;
    const ids = new Set(await enqueue(prefix, 12));
    const timeoutMs = 500;
    const backoffBaseMs = 200;
    // Each of our messages: first call slower than the timeout, second call 503, third 204.
    script = (id, call) =>
      !ids.has(id)
        ? { status: 204 }
        : call === 0
          ? { status: 204, delayMs: 3000 }
          : call === 1
            ? { status: 503 }
            : { status: 204 };
    const options: OutboxSenderOptions = {
      db,
      webhookUrl: url,
      pollMs: 50,
      batchSize: 5,
      concurrency: 2,
      requestTimeoutMs: timeoutMs,
      leaseMs: 3000,
      backoffBaseMs,
      maxBackoffMs: 2 * backoffBaseMs,
    };
    // Two senders share the table, as two workers do.
    const senders = [startOutboxSender(options), startOutboxSender(options)];
    try {
      await waitFor(
        () => rows(prefix),
        (r) => r.every((m) => m.status === 'DELIVERED'),
        'every message delivered',
        60_000,
      );
    } finally {
      await Promise.all(senders.map((s) => s.stop()));
    }
    const stored = await rows(prefix);
    expect(stored).toHaveLength(12);
    for (const row of stored) {
      const mine = posts.filter((p) => p.id === row.id);
      // Exactly the three scripted calls: no post outside a claim, none while a lease held.
      expect(mine.map((p) => p.answer)).toEqual([204, 503, 204]);
      expect(row.attempts).toBe(3);
      // Accepted (answered within the timeout) exactly once.
      expect(mine.filter((p, i) => i > 0 && p.answer === 204)).toHaveLength(1);
      // A re-post waits at least the timeout (first call) or the back-off (second call).
      expect(mine[1]!.at - mine[0]!.at).toBeGreaterThanOrEqual(timeoutMs);
      expect(mine[2]!.at - mine[1]!.at).toBeGreaterThanOrEqual(backoffBaseMs);
    }
  });

  test('when a sender dies holding a claim then no other sender posts the message until the lease ends', async () => {
    await drainEverythingElse();
    const prefix = `lease-${uniqueSuffix()}`;
    const [id] = await enqueue(prefix, 1);
    // Claim everything due, as a sender would, and never post it (the sender "died").
    const claimed = await claimOutboxBatch(db, { limit: 1000, leaseMs: 10 * 60_000 });
    expect(claimed.map((c) => c.id)).toEqual([id]);
    await drainOnce({ db, webhookUrl: url, pollMs: 10 });
    expect(posts.filter((p) => p.id === id)).toHaveLength(0);
    // The lease ends (moved into the past rather than waited for): the message goes out.
    await db.outboxMessage.update({
      where: { id: id! },
      data: { nextAttemptAt: new Date(Date.now() - 1000) },
    });
    await drainOnce({ db, webhookUrl: url, pollMs: 10 });
    expect(posts.filter((p) => p.id === id)).toHaveLength(1);
    expect((await rows(prefix))[0]).toMatchObject({ status: 'DELIVERED', attempts: 2 });
  });

  test('when a sender whose lease ran out reports a failure then it does not push back the newer claim', async () => {
    await drainEverythingElse();
    const prefix = `stale-${uniqueSuffix()}`;
    const [id] = await enqueue(prefix, 1);
    const first = (await claimOutboxBatch(db, { limit: 1000, leaseMs: 1 })).find(
      (c) => c.id === id,
    )!;
    await db.outboxMessage.update({
      where: { id: id! },
      data: { nextAttemptAt: new Date(Date.now() - 1000) },
    });
    const second = (await claimOutboxBatch(db, { limit: 1000, leaseMs: 60_000 })).find(
      (c) => c.id === id,
    )!;
    expect([first.attempts, second.attempts]).toEqual([1, 2]);
    const leased = await db.outboxMessage.findUniqueOrThrow({ where: { id: id! } });
    await markFailed(db, first, 'HTTP 500', 0);
    expect(await db.outboxMessage.findUniqueOrThrow({ where: { id: id! } })).toMatchObject({
      nextAttemptAt: leased.nextAttemptAt,
      lastError: null,
    });
    await markDelivered(db, id!);
    expect((await rows(prefix))[0]).toMatchObject({ status: 'DELIVERED', attempts: 2 });
  });
});
