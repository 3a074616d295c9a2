/**
 * A unit acting while the engine is away, in a real browser on the real stack: Vĩnh Phúc's
 * clerk acknowledges while no worker runs, so the workflow cannot answer. The API answers
 * 503 with Retry-After; the dashboard says the system is recovering and tries again by
 * itself, without an error and without a second click; once a worker runs again the same
 * acknowledgement goes through, once.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { stackState, uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, putDemoTree, startApiStack, tokenFor, waitFor, type ApiStack } from '../api/helpers';
import { launchChromium } from '../../stack/chromium';
import { createCascadeWorker, type CascadeWorker } from '../../worker/create-worker';
import { seriousViolations } from './accessibility';

jest.setTimeout(180_000);

const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const UNIT = 'STTTT-VP';

let stack: ApiStack;
let server: Server;
let browser: Browser;
let page: Page;
let connection: NativeConnection;
let worker: { worker: CascadeWorker; running: Promise<void> } | undefined;

/** The cascade's worker on this stack's task queue, as `npm run worker` runs it. */
async function startWorker(): Promise<void> {
  const w = await createCascadeWorker({ connection, namespace: 'default', taskQueue: stack.config.TEMPORAL_TASK_QUEUE, db: stack.db });
  worker = { worker: w, running: w.run() };
}

async function stopWorker(): Promise<void> {
  if (!worker) return;
  worker.worker.shutdown();
  await worker.running;
  worker = undefined;
}

beforeAll(async () => {
  // The API gives up on a workflow that does not answer after 3 s instead of 20 s, to keep the test short.
  stack = await startApiStack({ env: { UPDATE_TIMEOUT_MS: '3000' } });
  connection = await NativeConnection.connect({ address: stackState().temporalAddress });
  await startWorker();
  await putDemoTree(stack.app);
  server = await new Promise<Server>((resolve) => {
    const s = stack.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await stopWorker();
  await connection?.close();
  await stack?.close();
});

test('when a unit acknowledges while the engine is away then the dashboard says it is recovering and the acknowledgement goes through once it is back', async () => {
  const issued = await request(stack.app)
    .post('/api/v1/directives')
    .set(bearer(ADMIN))
    .send({ number: `PH/${uniqueSuffix()}`, kind: 'Công văn', title: 'Phục hồi sau sự cố', issuerCode: 'TTCS', issuedAt: new Date().toISOString(), policy: { ackWithin: 'P2D' } })
    .expect(201);
  const unitPath = `/api/v1/directives/${issued.body.id}/units/${UNIT}`;
  await waitFor(() => request(stack.app).get(unitPath).set(bearer(ADMIN)), (r) => r.status === 200, 'delivery to Vĩnh Phúc');

  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await page.goto(`${base}/dashboard/`);
  await page.fill('input[name=token]', (await tokenFor(stack.app, UNIT)).token);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
  await page.goto(`${base}/dashboard/#/d/${encodeURIComponent(issued.body.id)}/u/${UNIT}`);
  await page.waitForSelector('[data-testid=form-acknowledge]');

  await stopWorker();
  await page.fill('[data-testid=form-acknowledge] input[name=note]', 'Đã nhận trong lúc hệ thống gián đoạn');
  await page.click('[data-testid=form-acknowledge] button[type=submit]');
  const notice = page.locator('[data-testid=recovering]');
  await notice.waitFor({ timeout: 30_000 });
  expect(await notice.textContent()).toMatch(/^Hệ thống đang phục hồi; tự động thử lại sau \d+ giây\.$/);
  expect(await page.locator('[data-testid=form-acknowledge] .error').count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, 'recovering.png') });

  await startWorker();
  await page.waitForSelector('[data-testid=form-concretize]', { timeout: 60_000 });
  expect(await notice.count()).toBe(0);
  const unit = await request(stack.app).get(unitPath).set(bearer(ADMIN)).expect(200);
  expect(unit.body.timeline.filter((e: { type: string }) => e.type === 'ACKNOWLEDGED')).toHaveLength(1);
});
