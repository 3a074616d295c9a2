/**
 * The README walk-through in a real browser (Debian's Chromium through playwright-core):
 * the centre issues a directive from the dashboard; Vĩnh Phúc signs in, acknowledges and concretizes it from
 * its inbox (a task with a lead and a coordinating district); the issuer watches the
 * province map refresh by itself until the silent provinces go overdue, drills into a
 * province and sees the overdue list with the escalation rung. axe-core checks every page it
 * visits and fails on a serious or critical violation. Screenshots go to docs/screenshots/
 * (two of them are in the README).
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { uniqueSuffix } from '../harness/stack';
import {
  ADMIN,
  bearer,
  putDemoTree,
  startApiStack,
  tokenFor,
  waitFor,
  type ApiStack,
} from '../api/helpers';
import { launchChromium } from '../../stack/chromium';
import { seriousViolations } from './accessibility';

jest.setTimeout(180_000);

const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const number = `523/TTCS-TT-${uniqueSuffix()}`;

let stack: ApiStack;
let server: Server;
let base = '';
let browser: Browser;
let page: Page;
let directiveId = '';
const tokens: Record<string, string> = {};

async function signIn(token: string): Promise<void> {
  await page.goto(`${base}/dashboard/`);
  await page.evaluate('sessionStorage.clear(); localStorage.clear()');
  await page.goto(`${base}/dashboard/`);
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
}

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, name), fullPage: false });

/** No serious or critical accessibility violation on the page as it is now. */
async function accessible(): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

beforeAll(async () => {
  // Deadlines of seconds, below the default minimums (CASCADE_MIN_DEADLINE, CASCADE_MIN_LADDER_STEP).
  stack = await startApiStack({
    worker: true,
    env: { CASCADE_MIN_DEADLINE: 'PT1S', CASCADE_MIN_LADDER_STEP: 'PT1S' },
  });
  await putDemoTree(stack.app);
  for (const unit of ['TTCS', 'STTTT-VP']) tokens[unit] = (await tokenFor(stack.app, unit)).token;
  server = await new Promise<Server>((resolve) => {
    const s = stack.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage({
    viewport: { width: 1440, height: 1000 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});

describe('the dashboard walk-through in a real browser', () => {
  test('when the token is wrong then the sign-in says so in plain words', async () => {
    await page.goto(`${base}/dashboard/`);
    await page.fill('input[name=token]', 'not-a-token');
    await page.click('button[type=submit]');
    await expect(page.locator('.error').textContent()).resolves.toContain(
      'Mã truy cập không hợp lệ',
    );
    await accessible();
  });

  test('when the centre issues a directive in the dashboard then it reaches the provinces', async () => {
    await signIn(tokens.TTCS!);
    await page.waitForSelector('h1.section-title');
    await accessible();
    await page.click('[data-testid=issue-new] summary');
    const form = page.locator('[data-testid=form-issue]');
    await form.locator('input[name=number]').fill(number);
    await form.locator('input[name=title]').fill('Tuyên truyền Kết luận số 70-KL/TW');
    await form.locator('input[name=basedOn]').fill('164-HD/BTGTW');
    // Seconds instead of days, so that the walk-through sees units go overdue.
    await form.locator('select[name=calendar]').selectOption('none');
    await form.locator('input[name=ackWithin]').fill('PT25S');
    await form.locator('input[name=concretizeWithin]').fill('PT10M');
    await form.locator('input[name=remind]').fill('PT0S');
    await form.locator('input[name=notifyParent]').fill('PT3S');
    await form.locator('input[name=toIssuer]').fill('');
    const reportDue = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await form.locator('input[name=reportDueAt]').fill(reportDue);
    await accessible();
    await shot('issue-form.png');
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('[data-testid=directive-number]');
    await expect(page.locator('[data-testid=directive-number]').textContent()).resolves.toBe(
      number,
    );
    directiveId = decodeURIComponent(/#\/d\/([^/]+)/.exec(page.url())![1]!);
    await waitFor(
      () =>
        request(stack.app).get(`/api/v1/directives/${directiveId}/assignments`).set(bearer(ADMIN)),
      (r) => r.body.total === 3,
      'delivery to the three provinces',
    );
    await page.waitForSelector('[data-testid=cascade-map] .cell[data-code=STTTT-PT]');
    await accessible();
  });

  test('when Vĩnh Phúc acknowledges and concretizes from its inbox then its districts receive the plan', async () => {
    await signIn(tokens['STTTT-VP']!);
    await expect(page.textContent('[data-testid=who]')).resolves.toContain('Vĩnh Phúc');
    await page.click('header nav >> text=Việc cần xử lý');
    await page.waitForSelector(`[data-testid=inbox] >> text=${number}`);
    await accessible();
    await page.click(`[data-testid=inbox] >> text=${number}`);
    await page.waitForSelector('[data-testid=form-acknowledge]');
    await accessible();
    await page.fill('[data-testid=form-acknowledge] input[name=note]', 'Đã nhận, giao phòng TTCS');
    await page.click('[data-testid=form-acknowledge] button[type=submit]');
    await page.waitForSelector('[data-testid=form-concretize]');
    // Who acknowledged: the province's token (no label), as the clerk, of its unit.
    await page.waitForSelector('[data-testid=timeline] [data-testid=actor]');
    const actor = await page.locator('[data-testid=timeline] [data-testid=actor]').first().textContent();
    expect(actor).toMatch(/^token [0-9a-f]{8} \(Văn thư\) — .*Vĩnh Phúc/);

    const form = page.locator('[data-testid=form-concretize]');
    await form.locator('input[name=number]').fill(`145/KH-STTTT-${uniqueSuffix()}`);
    await form
      .locator('input[name=title]')
      .fill('Kế hoạch tuyên truyền Kết luận 70 trên địa bàn tỉnh');
    await form.locator('button', { hasText: 'Thêm nhiệm vụ' }).click();
    await form
      .locator('input[name=task-0-title]')
      .fill('Phát sóng chuyên mục trên đài truyền thanh');
    await form.locator('select[name=task-0-lead]').selectOption('VP-LT');
    await form.locator('input[name=task-0-coordinating][value=VP-TD]').check();
    await accessible();
    await shot('assignment-concretize.png');
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('[data-testid=timeline] >> text=Đã chuyển tiếp', {
      timeout: 30_000,
    });
    await expect(page.textContent('.stage')).resolves.toMatch(/Đã chuyển tiếp|Đã cụ thể hóa/);
    // The official status of each obligation: acknowledged and concretized in time.
    await page.waitForSelector('[data-testid=obligations] >> text=Xong đúng hạn');
    await expect(page.locator('[data-testid=timeline] [data-testid=actor]').count()).resolves.toBe(2);

    const plan = await request(stack.app)
      .get(`/api/v1/directives/${directiveId}/units/STTTT-VP`)
      .set(bearer(ADMIN))
      .expect(200);
    expect(plan.body.stage).toBe('FORWARDED');
    expect(plan.body.documents.map((d: { issuerCode: string }) => d.issuerCode)).toEqual([
      'TTCS',
      'STTTT-VP',
    ]);
  });

  test('when the silent provinces pass their deadline then the issuer sees the map turn red without reloading', async () => {
    await signIn(tokens.TTCS!);
    await page.click(`[data-testid=directive-list] >> text=${number}`);
    await page.waitForSelector('[data-testid=cascade-map] .cell');
    await expect(page.locator('[data-testid=cascade-map] .cell').count()).resolves.toBe(3);
    await expect(page.locator('[data-testid=directive-number]').textContent()).resolves.toBe(
      number,
    );
    await expect(page.locator('.counts.big').textContent()).resolves.toContain('Đếm theo nghĩa vụ');

    // No reload from here on: the live refresh brings the overdue provinces in.
    await page.waitForSelector(
      '[data-testid=cascade-map] .cell[data-code=STTTT-PT][data-overdue="1"]',
      { timeout: 90_000 },
    );
    await page.waitForSelector('[data-testid=overdue-list] tr[data-unit=STTTT-PT]', {
      timeout: 30_000,
    });
    await page.waitForSelector('[data-testid=escalation-list]', { timeout: 30_000 });
    const overdueRow = await page
      .locator('[data-testid=overdue-list] tr[data-unit=STTTT-PT]')
      .textContent();
    expect(overdueRow).toContain('Phú Thọ');
    expect(overdueRow).toContain('tiếp nhận');
    // Vĩnh Phúc itself acted in time (its silent districts and communes may be late by now).
    await expect(
      page.locator('[data-testid=overdue-list] tr[data-unit=STTTT-VP]').count(),
    ).resolves.toBe(0);
    await page.waitForSelector('#documents li[data-doc]');
    await accessible();
    await shot('directive-overview.png');
  });

  test('when the issuer drills into Vĩnh Phúc then the map shows its districts and links the Temporal UI', async () => {
    await page.click('[data-testid=cascade-map] .cell[data-code=STTTT-VP]');
    await page.waitForSelector('[data-testid=cascade-map] .cell[data-code=VP-LT]');
    await expect(page.locator('[data-testid=cascade-map] .trail').textContent()).resolves.toContain(
      'Vĩnh Phúc',
    );
    await accessible();
    await shot('province-drilldown.png');

    await page.goto(`${base}/dashboard/#/d/${encodeURIComponent(directiveId)}/u/STTTT-PT`);
    await page.waitForSelector('[data-testid=assignment-view] [data-testid=waiting]');
    const link = await page.locator('.temporal-link').getAttribute('href');
    expect(link).toMatch(
      new RegExp(
        `/namespaces/default/workflows/${encodeURIComponent(`cascade/${directiveId}/STTTT-PT`)}$`,
      ),
    );
    await expect(page.locator('[data-testid=waiting]').textContent()).resolves.toContain(
      'Bậc nhắc',
    );
    await accessible();
  });

  test("when Bắc Ninh's clerk acknowledges on a phone (360 × 740) then the inbox and the form work at that width, and the clerk may not issue", async () => {
    const clerk = (await request(stack.app).post('/api/v1/units/STTTT-BN/tokens').set(bearer(ADMIN)).send({ roles: ['clerk'] }).expect(201))
      .body.token as string;
    const desktop = page;
    page = await browser.newPage({ viewport: { width: 360, height: 740 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    try {
      await signIn(clerk);
      await page.click('header nav >> text=Việc cần xử lý');
      await page.waitForSelector(`[data-testid=inbox] >> text=${number}`);
      await accessible();
      await shot('phone-token-inbox.png');
      await page.click(`[data-testid=inbox] >> text=${number}`);
      await page.fill('[data-testid=form-acknowledge] input[name=note]', 'Văn thư đã nhận');
      await accessible();
      await page.click('[data-testid=form-acknowledge] button[type=submit]');
      // What follows is the leader's (and the officer's draft): the clerk is offered none of it.
      await page.waitForSelector('[data-testid=nothing-for-role]');
      await expect(page.locator('[data-testid=form-concretize], [data-testid=form-draft]').count()).resolves.toBe(0);
      await shot('phone-token-acknowledged.png');
      // Issuing is the leader's: the clerk's token is refused.
      const refused = await request(stack.app)
        .post('/api/v1/directives')
        .set(bearer(clerk))
        .send({ number: `1/BN-${uniqueSuffix()}`, kind: 'Công văn', title: 'x', issuerCode: 'STTTT-BN', issuedAt: new Date().toISOString(), policy: { ackWithin: 'P2D' } })
        .expect(403);
      expect(refused.body.error.message).toContain('leader');
    } finally {
      await page.close();
      page = desktop;
    }
  });

  test('when the language is switched then the same view reads in English', async () => {
    await page.click('.langs >> text=English');
    await page.waitForSelector('text=Waiting for');
    await accessible();
    await shot('assignment-overdue-en.png');
    await page.click('.langs >> text=Tiếng Việt');
  });
});
