/**
 * People of the demo tree in a real browser (Debian's Chromium through playwright-core),
 * each signing in on the local OpenID Connect provider's own login page: Vĩnh Phúc's clerk
 * acknowledges the centre's directive and is offered nothing to issue; its officer drafts
 * the implementing document; its leader issues the draft; the district station passes it on
 * (through the API); the commune clerk of Quang Sơn finds it in the inbox and acknowledges it on a phone (360 × 740). axe-core checks every
 * page, the provider's included. Screenshots go to docs/screenshots/.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, putDemoTree, waitFor } from '../api/helpers';
import { startSignInStack, type SignInStack } from '../api/sign-in-stack';
import { launchChromium } from '../../stack/chromium';
import { seriousViolations } from './accessibility';

jest.setTimeout(180_000);

const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');
const number = `70/TTCS-TT-${uniqueSuffix()}`;
const planNumber = `152/KH-STTTT-${uniqueSuffix()}`;

let stack: SignInStack;
let browser: Browser;
let directiveId = '';

const DESKTOP = { width: 1440, height: 1000 };
const PHONE = { width: 360, height: 740 };

/** No serious or critical accessibility violation on the page as it is now. */
async function accessible(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

/**
 * A fresh browser (no cookie of anyone before) signed in as `email` through the provider's
 * login page; resolves on the dashboard with the person's name in the header.
 */
async function signedIn(email: string, password: string, viewport = DESKTOP, shot?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  await page.goto(`${stack.base}/dashboard/`);
  await page.click('[data-testid=sign-in-oidc]');
  await page.waitForURL(`${stack.provider.issuer}/interaction/**`);
  await accessible(page);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  if (shot) await page.screenshot({ path: path.join(SHOTS, shot) });
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=person]');
  return { context, page };
}

const assignmentUrl = (unit: string) => `${stack.base}/dashboard/#/d/${encodeURIComponent(directiveId)}/u/${unit}`;

beforeAll(async () => {
  stack = await startSignInStack({ worker: true });
  await putDemoTree(stack.api.app);
  // The centre's directive to Vĩnh Phúc; the districts pass documents on, so that what the
  // province issues reaches its communes.
  const issued = await request(stack.api.app)
    .post('/api/v1/directives')
    .set(bearer(ADMIN))
    .send({
      number,
      kind: 'Công văn',
      title: 'Tuyên truyền Kết luận số 70-KL/TW',
      issuerCode: 'TTCS',
      issuedAt: new Date().toISOString(),
      recipients: ['STTTT-VP'],
      policy: { ackWithin: 'P2D', concretizeWithin: 'P10D', relayLevels: ['district'] },
    })
    .expect(201);
  directiveId = issued.body.id as string;
  await waitFor(
    () => request(stack.api.app).get(`/api/v1/directives/${encodeURIComponent(directiveId)}/units/STTTT-VP`).set(bearer(ADMIN)),
    (r) => r.status === 200,
    "delivery to Vĩnh Phúc",
  );
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('people sign in on the provider and act in their role', () => {
  test("a wrong password stays on the provider's page with a message; the dashboard's sign-in page passes axe", async () => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
    const page = await context.newPage();
    try {
      await page.goto(`${stack.base}/dashboard/`);
      await page.waitForSelector('[data-testid=sign-in-oidc]');
      await accessible(page);
      await page.screenshot({ path: path.join(SHOTS, 'sign-in.png') });
      await page.click('[data-testid=sign-in-oidc]');
      await page.fill('input[name=email]', 'vanthu.tinh@demo.gov.vn');
      await page.fill('input[name=password]', 'sai-mat-khau');
      await page.click('button[type=submit]');
      await expect(page.locator('[role=alert]').textContent()).resolves.toContain('không đúng');
      await accessible(page);
    } finally {
      await context.close();
    }
  });

  test("the province clerk acknowledges, and is offered neither the implementing document nor issuing", async () => {
    const { context, page } = await signedIn('vanthu.tinh@demo.gov.vn', 'vanthu-tinh', DESKTOP, 'sign-in-provider.png');
    try {
      await expect(page.textContent('[data-testid=who]')).resolves.toContain('Phạm Thị Hoa (Văn thư)');
      await accessible(page);
      // The directive list offers no "issue a new directive" to a clerk.
      await expect(page.locator('[data-testid=issue-new]').count()).resolves.toBe(0);
      await page.goto(assignmentUrl('STTTT-VP'));
      await page.fill('[data-testid=form-acknowledge] input[name=note]', 'Văn thư đã vào sổ');
      await accessible(page);
      await page.click('[data-testid=form-acknowledge] button[type=submit]');
      await page.waitForSelector('[data-testid=nothing-for-role]');
      await expect(page.locator('[data-testid=form-concretize], [data-testid=form-draft]').count()).resolves.toBe(0);
      await accessible(page);
    } finally {
      await context.close();
    }
  });

  test('the province officer drafts the implementing document for the leader', async () => {
    const { context, page } = await signedIn('chuyenvien.tinh@demo.gov.vn', 'chuyenvien-tinh');
    try {
      await page.goto(assignmentUrl('STTTT-VP'));
      const form = page.locator('[data-testid=form-draft]');
      await form.waitFor();
      await expect(page.locator('[data-testid=form-concretize]').count()).resolves.toBe(0);
      await form.locator('input[name=number]').fill(planNumber);
      await form.locator('input[name=title]').fill('Kế hoạch tuyên truyền Kết luận 70 trên địa bàn tỉnh');
      await accessible(page);
      await form.locator('button[type=submit]').click();
      await form.locator('[role=status]').waitFor();
      await accessible(page);
      await page.screenshot({ path: path.join(SHOTS, 'officer-draft.png') });
    } finally {
      await context.close();
    }
  });

  test('the province leader issues the draft, and the plan goes to the communes', async () => {
    const { context, page } = await signedIn('lanhdao.tinh@demo.gov.vn', 'lanhdao-tinh');
    try {
      await page.goto(assignmentUrl('STTTT-VP'));
      const draft = page.locator('[data-testid=form-issue-draft]');
      await draft.waitFor();
      await expect(draft.textContent()).resolves.toContain(planNumber);
      await accessible(page);
      await page.screenshot({ path: path.join(SHOTS, 'leader-issues-draft.png') });
      await draft.locator('button[type=submit]').click();
      await page.waitForSelector('[data-testid=timeline] >> text=Đã chuyển tiếp', { timeout: 30_000 });
      // The timeline names who did each step: the clerk acknowledged, the leader issued.
      const timeline = await page.locator('[data-testid=timeline]').textContent();
      expect(timeline).toContain('Phạm Thị Hoa (Văn thư) — Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc');
      expect(timeline).toContain('Hoàng Thị Lan (Lãnh đạo) — Sở Thông tin và Truyền thông tỉnh Vĩnh Phúc');
      await accessible(page);
      await page.locator('[data-testid=timeline]').screenshot({ path: path.join(SHOTS, 'timeline-who.png') });
    } finally {
      await context.close();
    }
    const plan = await request(stack.api.app)
      .get(`/api/v1/directives/${encodeURIComponent(directiveId)}/units/STTTT-VP`)
      .set(bearer(ADMIN))
      .expect(200);
    expect(plan.body.documents.map((d: { number: string }) => d.number)).toEqual([number, planNumber]);
    // The district station (a relay) acknowledges through the API and passes the plan on.
    await waitFor(
      () => request(stack.api.app).get(`/api/v1/directives/${encodeURIComponent(directiveId)}/units/VP-LT`).set(bearer(ADMIN)),
      (r) => r.status === 200,
      'delivery to the district of Lập Thạch',
    );
    await request(stack.api.app).post(`/api/v1/directives/${encodeURIComponent(directiveId)}/units/VP-LT/acknowledge`).set(bearer(ADMIN)).send({}).expect(200);
    await waitFor(
      () => request(stack.api.app).get(`/api/v1/directives/${encodeURIComponent(directiveId)}/units/VP-LT-QS`).set(bearer(ADMIN)),
      (r) => r.status === 200,
      'delivery to the commune of Quang Sơn',
    );
  });

  test('the commune clerk finds it in the inbox and acknowledges it on a phone (360 × 740)', async () => {
    const { context, page } = await signedIn('vanthu.xa@demo.gov.vn', 'vanthu-xa', PHONE, 'phone-sign-in.png');
    try {
      await page.click('header nav >> text=Việc cần xử lý');
      const row = page.locator(`[data-testid=inbox] a[href*="${encodeURIComponent(directiveId)}"]`);
      await row.waitFor();
      await accessible(page);
      await page.screenshot({ path: path.join(SHOTS, 'phone-inbox.png') });
      await row.click();
      // The commune received the province's plan, not the centre's letter.
      await page.waitForSelector(`text=${planNumber}`);
      await page.fill('[data-testid=form-acknowledge] input[name=note]', 'Văn thư xã đã nhận');
      await accessible(page);
      await page.click('[data-testid=form-acknowledge] button[type=submit]');
      await page.locator('[data-testid=form-acknowledge]').waitFor({ state: 'detached' });
      await accessible(page);
      await page.screenshot({ path: path.join(SHOTS, 'phone-acknowledged.png') });
      // Signing out ends the session and the provider's (it asks first), back to the sign-in page.
      await page.click('[data-testid=who] button');
      await page.waitForURL(`${stack.provider.issuer}/session/end**`);
      await accessible(page);
      await page.click('button[name=logout]');
      await page.waitForSelector('[data-testid=sign-in-oidc]');
      // Signing in again asks for the password: nothing of the provider's session is left.
      await page.click('[data-testid=sign-in-oidc]');
      await page.waitForSelector('input[name=password]');
    } finally {
      await context.close();
    }
    const commune = await request(stack.api.app)
      .get(`/api/v1/directives/${encodeURIComponent(directiveId)}/units/VP-LT-QS`)
      .set(bearer(ADMIN))
      .expect(200);
    expect(commune.body.stage).not.toBe('DELIVERED');
  });
});
