/**
 * The dashboard's API and pages: who the token is, a cascade rolled up by subtrees (the
 * map), the implementing-document tree, unit names within the caller's branch, and the
 * built pages served under /dashboard/. The cascade is written straight into the read
 * model (these reads never ask Temporal), over the demo tree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import request from 'supertest';
import { dashboardPages } from '../../api/dashboard-pages';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, putDemoTree, startApiStack, tokenFor, type ApiStack } from './helpers';

let stack: ApiStack;
const tokens: Record<string, string> = {};
const id = `dash-${uniqueSuffix()}`;
const api = () => request(stack.app);
const as = (who: string) => bearer(who === 'admin' ? ADMIN : tokens[who]!);

/** Vĩnh Phúc concretized and its subtree received it; Phú Thọ is overdue; Bắc Ninh is done late. */
async function seedCascade(): Promise<void> {
  const db = stack.db;
  const now = Date.now();
  await db.directive.create({
    data: {
      id,
      number: `${id}/TTCS`,
      kind: 'Công văn',
      title: 'KL 70',
      issuerCode: 'TTCS',
      issuedAt: new Date(now),
      rootId: id,
      status: 'ACTIVE',
      policy: {},
    },
  });
  await db.directive.create({
    data: {
      id: `${id}~STTTT-VP`,
      number: `${id}/KH-VP`,
      kind: 'Kế hoạch',
      title: 'KH VP',
      issuerCode: 'STTTT-VP',
      issuedAt: new Date(now),
      rootId: id,
      parentId: id,
      status: 'IMPLEMENTING',
    },
  });
  const row = (
    unitCode: string,
    level: string,
    parent: string,
    stage: string,
    overdue = false,
  ) => ({
    id: `${id}/${unitCode}`,
    directiveId: id,
    unitCode,
    level,
    depth: level === 'province' ? 1 : level === 'district' ? 2 : 3,
    parentUnitCode: parent,
    parentAssignmentId: parent === 'TTCS' ? null : `${id}/${parent}`,
    receivedDirectiveId: id,
    stage,
    overdue,
    mustConcretize: level === 'province',
    isLeaf: level === 'commune',
    deliveredAt: new Date(now),
  });
  await db.assignment.createMany({
    data: [
      row('STTTT-VP', 'province', 'TTCS', 'FORWARDED'),
      row('STTTT-PT', 'province', 'TTCS', 'DELIVERED', true),
      row('STTTT-BN', 'province', 'TTCS', 'COMPLETED'),
      row('VP-LT', 'district', 'STTTT-VP', 'FORWARDED'),
      row('VP-TD', 'district', 'STTTT-VP', 'DELIVERED', true),
      row('VP-LT-QS', 'commune', 'VP-LT', 'COMPLETED'),
      row('VP-LT-NM', 'commune', 'VP-LT', 'FAILED'),
    ],
  });
  await db.timelineEvent.create({
    data: {
      id: `${id}/STTTT-BN#3`,
      directiveId: id,
      assignmentId: `${id}/STTTT-BN`,
      unitCode: 'STTTT-BN',
      type: 'OVERDUE',
      at: new Date(now),
    },
  });
}

beforeAll(async () => {
  stack = await startApiStack();
  await putDemoTree(stack.app);
  for (const unit of ['STTTT-VP', 'VP-LT']) tokens[unit] = (await tokenFor(stack.app, unit)).token;
  await seedCascade();
});
afterAll(() => stack.close());

describe('dashboard reads', () => {
  test('when the admin or a unit asks who it is then it learns its unit and where the Temporal UI is', async () => {
    const admin = await api().get('/api/v1/dashboard/session').set(as('admin')).expect(200);
    expect(admin.body).toEqual({
      kind: 'admin',
      unit: null,
      temporalUi: 'http://localhost:8233/namespaces/default',
      // A bearer token names no person; the admin holds every role.
      person: null,
      roles: ['clerk', 'officer', 'leader'],
    });
    const unit = await api().get('/api/v1/dashboard/session').set(as('STTTT-VP')).expect(200);
    expect(unit.body.unit).toMatchObject({
      code: 'STTTT-VP',
      level: 'province',
      name: expect.stringContaining('Vĩnh Phúc'),
    });
    await api().get('/api/v1/dashboard/session').expect(401);
  });

  test('when the issuer side reads the map then each province counts its whole subtree in the four statuses', async () => {
    const res = await api()
      .get(`/api/v1/dashboard/directives/${id}/map`)
      .set(as('admin'))
      .expect(200);
    expect(res.body.parent.code).toBe('TTCS');
    const cells = Object.fromEntries(res.body.cells.map((c: { code: string }) => [c.code, c]));
    expect(Object.keys(cells).sort()).toEqual(['STTTT-BN', 'STTTT-PT', 'STTTT-VP']);
    expect(cells['STTTT-VP']).toMatchObject({
      hasChildren: true,
      assignment: { stage: 'FORWARDED', overdue: false },
      counts: { total: 5, onTime: 1, late: 0, open: 2, overdue: 1, failed: 1, revoked: 0 },
    });
    expect(cells['STTTT-PT'].counts).toMatchObject({ total: 1, overdue: 1 });
    expect(cells['STTTT-BN'].counts).toMatchObject({ total: 1, onTime: 0, late: 1 });
    expect(res.body.totals).toMatchObject({
      total: 7,
      onTime: 1,
      late: 1,
      open: 2,
      overdue: 2,
      failed: 1,
    });
  });

  test('when the map is drilled into a province then its districts are the cells and the trail leads back', async () => {
    const res = await api()
      .get(`/api/v1/dashboard/directives/${id}/map?parent=STTTT-VP`)
      .set(as('admin'))
      .expect(200);
    expect(res.body.trail.map((u: { code: string }) => u.code)).toEqual(['TTCS', 'STTTT-VP']);
    expect(res.body.cells.map((c: { code: string }) => c.code).sort()).toEqual(['VP-LT', 'VP-TD']);
    const lt = res.body.cells.find((c: { code: string }) => c.code === 'VP-LT');
    expect(lt.counts).toMatchObject({ total: 3, onTime: 1, failed: 1 });
  });

  test('when a unit token reads the map then it starts at its own unit and cannot go outside it', async () => {
    const own = await api()
      .get(`/api/v1/dashboard/directives/${id}/map`)
      .set(as('VP-LT'))
      .expect(200);
    expect(own.body.parent.code).toBe('VP-LT');
    expect(own.body.cells.map((c: { code: string }) => c.code).sort()).toEqual([
      'VP-LT-NM',
      'VP-LT-QS',
    ]);
    await api()
      .get(`/api/v1/dashboard/directives/${id}/map?parent=STTTT-VP`)
      .set(as('VP-LT'))
      .expect(403);
    await api().get(`/api/v1/dashboard/directives/nope/map`).set(as('admin')).expect(404);
    await api()
      .get(`/api/v1/dashboard/directives/${id}/map?parent=bad%20code`)
      .set(as('admin'))
      .expect(400);
  });

  test('when the document tree is read then it opens one level at a time', async () => {
    const root = await api()
      .get(`/api/v1/dashboard/directives/${id}/documents`)
      .set(as('admin'))
      .expect(200);
    expect(root.body.items).toEqual([
      expect.objectContaining({
        id,
        children: 1,
        issuer: expect.objectContaining({ code: 'TTCS' }),
      }),
    ]);
    const below = await api()
      .get(`/api/v1/dashboard/directives/${id}/documents?parent=${id}`)
      .set(as('VP-LT'))
      .expect(200);
    expect(below.body.items).toEqual([
      expect.objectContaining({ id: `${id}~STTTT-VP`, number: `${id}/KH-VP`, children: 0 }),
    ]);
  });

  test('when a unit asks for names then it gets those of its branch only', async () => {
    const res = await api()
      .get('/api/v1/dashboard/unit-names?codes=TTCS,STTTT-VP,VP-LT-QS,STTTT-PT,NOPE')
      .set(as('VP-LT'))
      .expect(200);
    expect(res.body.units.map((u: { code: string }) => u.code).sort()).toEqual([
      'STTTT-VP',
      'TTCS',
      'VP-LT-QS',
    ]);
    await api().get('/api/v1/dashboard/unit-names').set(as('admin')).expect(400);
  });
});

describe('dashboard pages', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-pages-'));
  const pages = (d: string) => express().use(dashboardPages(d));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('when the dashboard is not built then /dashboard/ says how to build it', async () => {
    const res = await request(pages(path.join(dir, 'missing')))
      .get('/dashboard/')
      .expect(503);
    expect(res.text).toContain('npm run build:web');
  });

  test('when it is built then / and /dashboard lead to the page and hashed assets are cached for good', async () => {
    fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="app"></div>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    const app = pages(dir);
    await request(app).get('/').expect(302).expect('Location', '/dashboard/');
    await request(app).get('/dashboard').expect(301).expect('Location', '/dashboard/');
    const page = await request(app).get('/dashboard/').expect(200);
    expect(page.text).toContain('<div id="app">');
    expect(page.headers['cache-control']).toBe('no-cache');
    const asset = await request(app).get('/dashboard/assets/index-abc123.js').expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  test('when the API serves the dashboard then it keeps the API’s security headers', async () => {
    const res = await api().get('/dashboard/');
    expect([200, 503]).toContain(res.status);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    const health = await request(stack.app).get('/health');
    expect(health.headers['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
