/**
 * Reading a document in the dashboard (Debian's Chromium through playwright-core): the
 * centre pastes the seed letter, sees its text with the recognised lines highlighted and
 * the blank number and day listed first, fills them and issues; the seed plan uploaded as a
 * file reads into a draft with its number, kind and tasks. A screenshot goes to
 * docs/screenshots/document-review.png.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { uniqueSuffix } from '../harness/stack';
import request from 'supertest';
import { bearer, putDemoTree, startApiStack, tokenFor, type ApiStack } from '../api/helpers';
import { launchChromium } from '../../stack/chromium';

jest.setTimeout(180_000);

const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'documents');
const SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots');

let stack: ApiStack;
let server: Server;
let base = '';
let browser: Browser;
let page: Page;
let ttcs = '';

beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await putDemoTree(stack.app);
  ttcs = (await tokenFor(stack.app, 'TTCS')).token;
  server = await new Promise<Server>((resolve) => {
    const s = stack.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  await page.goto(`${base}/dashboard/`);
  await page.fill('input[name=token]', ttcs);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]');
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});

describe('reading a document in the dashboard', () => {
  test('when the centre pastes the seed letter then the blank number and day come first, and once filled it issues', async () => {
    await page.goto(`${base}/dashboard/#/read`);
    await page.fill('textarea[name=text]', fs.readFileSync(path.join(FIXTURES, 'cong-van-cuc-ttcs-ket-luan-70.txt'), 'utf8'));
    await page.click('.reader-input button[type=submit]');
    await page.waitForSelector('[data-testid=unresolved]');
    const fields = await page.locator('[data-testid=unresolved] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-field')));
    expect(fields.slice(0, 2)).toEqual(['number', 'issuedAt']);
    // The "Kính gửi" line is highlighted as recipients; the blank "Số:" line as unresolved.
    await expect(page.locator('.src-line.recognised[data-fields~=recipients]').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('.src-line.unresolved').count()).resolves.toBeGreaterThan(0);
    expect((await page.inputValue('input[name=recipients]')).split(', ').sort()).toEqual(['STTTT-BN', 'STTTT-PT', 'STTTT-VP']);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'document-review.png'), fullPage: false });

    await page.fill('input[name=number]', `${Math.floor(Math.random() * 9000) + 1000}/TTCS-TT-${uniqueSuffix()}`);
    await page.fill('input[name=issuedAt]', '2021-07-29');
    await page.click('[data-testid=issue]');
    await page.waitForSelector('[data-testid=directive-view]');
    expect(page.url()).toMatch(/#\/d\//);
  });

  test('when the seed plan is uploaded as a file then its number, kind and tasks are in the draft', async () => {
    await page.goto(`${base}/dashboard/#/read`);
    await page.fill('textarea[name=text]', '');
    await page.setInputFiles('input[name=file]', path.join(FIXTURES, 'ke-hoach-145-lmhtxvn.txt'));
    await page.click('.reader-input button[type=submit]');
    await page.waitForSelector('[data-testid=draft-tasks] li');
    await expect(page.inputValue('input[name=number]')).resolves.toBe('145/KH-LMHTXVN');
    await expect(page.inputValue('input[name=kind]')).resolves.toBe('Kế hoạch');
    await expect(page.locator('[data-testid=draft-tasks] li').count()).resolves.toBe(21);
    // A six-monthly regime asks until when.
    await page.waitForSelector('input[name=until]');
  });

  test('when a letter uploaded as a file is issued then the file is kept with the directive as its original', async () => {
    const text = fs
      .readFileSync(path.join(FIXTURES, 'cong-van-cuc-ttcs-ket-luan-70.txt'), 'utf8')
      .replace(/Số:\s*$/m, `Số: ${Math.floor(Math.random() * 9000) + 1000}/TTCS-TT-${uniqueSuffix()}`)
      .replace(/ngày\s+tháng\s+năm\s*$/m, 'ngày 29 tháng 7 năm 2021');
    await page.goto(`${base}/dashboard/#/read`);
    await page.setInputFiles('input[name=file]', { name: 'cong-van.txt', mimeType: 'text/plain', buffer: Buffer.from(text, 'utf8') });
    await page.click('.reader-input button[type=submit]');
    await page.waitForSelector('[data-testid=draft]');
    await page.click('[data-testid=issue]');
    await page.waitForSelector('[data-testid=directive-view]');
    const id = decodeURIComponent(page.url().split('#/d/')[1]!.split('/')[0]!);
    const files = await request(stack.app).get(`/api/v1/directives/${id}/files`).set(bearer(ttcs)).expect(200);
    expect(files.body.items).toEqual([expect.objectContaining({ role: 'original', filename: 'cong-van.txt', size: Buffer.byteLength(text) })]);
  });
});
