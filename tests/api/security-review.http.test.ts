/**
 * Findings of the security review, each on the real stack (PostgreSQL, the Temporal dev
 * server, a cascade worker): what a directive's progress shows a unit below the issuer,
 * task parts against the reach and the minimum durations (issue and concretize), the rate
 * limit of unauthenticated clients and the cached health answer, the same answer whether a
 * unit exists or not, and Markdown kept out of what the Temporal UI renders.
 */
import request from 'supertest';
import type express from 'express';
import MarkdownIt from 'markdown-it';
import type { Config } from '../../runtime/config';
import { workflowIds } from '../../contract/ids';
import { uniqueSuffix } from '../harness/stack';
import { ADMIN, bearer, sleep, startApiStack, tokenFor, waitFor, type ApiStack } from './helpers';

jest.setTimeout(120_000);

let stack: ApiStack;
const sfx = uniqueSuffix().toUpperCase();
const u = (name: string) => `S${sfx}-${name}`;
const ROOT = u('R');
/** ROOT → P1 (→ D1 → C1), P2 (→ D2 → C2). */
const tree = [
  { code: ROOT, name: 'root', level: 'central', parentCode: null },
  { code: u('P1'), name: 'P1', level: 'province', parentCode: ROOT },
  { code: u('D1'), name: 'D1', level: 'district', parentCode: u('P1') },
  { code: u('C1'), name: 'C1', level: 'commune', parentCode: u('D1') },
  { code: u('P2'), name: 'P2', level: 'province', parentCode: ROOT },
  { code: u('D2'), name: 'D2', level: 'district', parentCode: u('P2') },
  { code: u('C2'), name: 'C2', level: 'commune', parentCode: u('D2') },
];
const tokens: Record<string, string> = {};
const api = () => request(stack.app);
const appWith = (config: Partial<Config>, extra: Parameters<ApiStack['appWith']>[0] = {}): express.Express =>
  stack.appWith({ config: { ...stack.config, ...config }, ...extra });
const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const directive = (issuerCode: string, extra: object = {}) => ({
  number: `SEC/${uniqueSuffix()}`,
  kind: 'Công văn',
  title: 'security review',
  issuerCode,
  issuedAt: new Date().toISOString(),
  policy: { ackWithin: 'P2D' },
  ...extra,
});

/** A unit action, retried while the assignment is still being delivered. */
async function act(path: string, token: string, body: object) {
  for (let attempt = 0; ; attempt++) {
    const res = await api().post(path).set(bearer(token)).send(body);
    if (res.status === 409 && /still being delivered/.test(res.body.error?.message) && attempt < 50) {
      await sleep(100);
      continue;
    }
    return res;
  }
}

/** Markdown as a CommonMark renderer with HTML and bare links on (the Temporal UI's kind) turns it into HTML. */
const markdown = new MarkdownIt({ html: true, linkify: true });
const rendered = (text: string | undefined) => markdown.render(text ?? '');

let cascade: string;

beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await api().put('/api/v1/units').set(bearer(ADMIN)).send({ units: tree }).expect(200);
  for (const unit of [ROOT, 'P1', 'P2', 'C1']) tokens[unit] = (await tokenFor(stack.app, unit === ROOT ? ROOT : u(unit))).token;
  // One cascade to both provinces, with a task led by each.
  const issued = await api()
    .post('/api/v1/directives')
    .set(bearer(ADMIN))
    .send(
      directive(ROOT, {
        tasks: [
          { title: 'Nhiệm vụ của P1', leadUnitCode: u('P1'), dueAt: future(10) },
          { title: 'Nhiệm vụ của P2', leadUnitCode: u('P2'), dueAt: future(10) },
        ],
      }),
    )
    .expect(201);
  cascade = issued.body.id as string;
  await waitFor(
    () => api().get(`/api/v1/directives/${cascade}`).set(bearer(ADMIN)).then((r) => r.body.progress),
    (p) => p?.total === 2 && p?.tasks?.length === 2,
    'both provinces and both task parts',
  );
});
afterAll(() => stack.close());

describe('what a directive shows a unit below its issuer', () => {
  test('when a province reads the cascade then progress, tasks and byProvince hold its own subtree only, while the admin sees both', async () => {
    const all = (await api().get(`/api/v1/directives/${cascade}`).set(bearer(ADMIN)).expect(200)).body.progress;
    expect(all.tasks.map((t: { leadUnitCode: string }) => t.leadUnitCode)).toEqual([u('P1'), u('P2')]);

    const own = (await api().get(`/api/v1/directives/${cascade}`).set(bearer(tokens.P1!)).expect(200)).body.progress;
    expect(own.total).toBe(1);
    expect(Object.keys(own.byLevel)).toEqual(['province']);
    expect(own.tasks.map((t: { leadUnitCode: string }) => t.leadUnitCode)).toEqual([u('P1')]);
    expect(own.tasks[0].parts.map((p: { unitCode: string }) => p.unitCode)).toEqual([u('P1')]);
    expect(Object.keys(own.official.byProvince)).toEqual([u('P1')]);
    expect(JSON.stringify(own)).not.toContain(u('P2'));
    expect(JSON.stringify(own)).not.toContain('Nhiệm vụ của P2');
  });

  test("when a province asks for another province's implementing document then it is refused as if it did not exist", async () => {
    const p2 = `/api/v1/directives/${cascade}/units/${u('P2')}`;
    expect((await act(`${p2}/acknowledge`, ADMIN, {})).status).toBe(200);
    const plan = { number: `KH-${uniqueSuffix()}`, title: 'Kế hoạch P2', issuedAt: new Date().toISOString().slice(0, 10) };
    expect((await act(`${p2}/concretize`, ADMIN, plan)).status).toBe(200);
    const doc = `/api/v1/directives/${cascade}~${u('P2')}`;
    await api().get(doc).set(bearer(tokens.P2!)).expect(200);
    const refused = await api().get(doc).set(bearer(tokens.P1!)).expect(403);
    const unknown = await api().get(`/api/v1/directives/${cascade}~${u('NOPE')}`).set(bearer(tokens.P1!)).expect(403);
    expect(refused.body.error.code).toBe(unknown.body.error.code);
  });
});

describe('task parts against the reach and the minimum durations', () => {
  test('when a unit token issues tasks whose parts with the recipients exceed the reach then it is 403 APPROVAL_REQUIRED', async () => {
    const app = appWith({ CASCADE_MAX_REACH: 4 });
    // Recipients: P2's subtree, three units; the task adds three parts.
    const body = directive(ROOT, {
      recipients: [u('P2')],
      tasks: [{ title: 'x', leadUnitCode: u('P1'), coordinatingUnits: [u('D1'), u('C1')], dueAt: future(10) }],
    });
    const refused = await request(app).post('/api/v1/directives').set(bearer(tokens[ROOT]!)).send(body).expect(403);
    expect(refused.body.error).toMatchObject({ code: 'APPROVAL_REQUIRED', message: expect.stringContaining('3 task parts') });
  });

  test('when a directive carries more task parts than the bound then even the admin gets 400 naming tasks', async () => {
    const app = appWith({ CASCADE_MAX_TASK_PARTS: 2 });
    const body = directive(ROOT, {
      recipients: [u('P2')],
      tasks: [{ title: 'x', leadUnitCode: u('P1'), coordinatingUnits: [u('D1'), u('C1')], dueAt: future(10) }],
    });
    const refused = await request(app).post('/api/v1/directives').set(bearer(ADMIN)).send(body).expect(400);
    expect(refused.body.error.code).toBe('INVALID_TASKS');
    expect(refused.body.error.details.map((d: { path: unknown[] }) => d.path.join('.'))).toEqual(['tasks']);
  });

  test('when a task is due in the past or recurs more often than the minimum then issuing is 400 naming each field', async () => {
    const refused = await api()
      .post('/api/v1/directives')
      .set(bearer(ADMIN))
      .send(
        directive(ROOT, {
          recipients: [u('P2')],
          tasks: [
            { title: 'past', leadUnitCode: u('P2'), dueAt: '2020-01-01' },
            { title: 'every second', leadUnitCode: u('P2'), dueAt: future(10), recurrence: 'PT1S' },
          ],
        }),
      )
      .expect(400);
    expect(refused.body.error.code).toBe('INVALID_TASKS');
    expect(refused.body.error.details.map((d: { path: unknown[] }) => d.path.join('.'))).toEqual([
      'tasks.0.dueAt',
      'tasks.1.recurrence',
    ]);
  });

  test('when a unit concretizes with a task due in the past, recurring every second or past the reach then it is refused before the workflow sees it', async () => {
    const p1 = `/api/v1/directives/${cascade}/units/${u('P1')}`;
    expect((await act(`${p1}/acknowledge`, tokens.P1!, {})).status).toBe(200);
    const plan = (tasks: object[]) => ({
      number: `KH-${uniqueSuffix()}`,
      title: 'Kế hoạch P1',
      issuedAt: new Date().toISOString().slice(0, 10),
      tasks,
    });
    const past = await act(`${p1}/concretize`, tokens.P1!, plan([{ title: 'past', leadUnitCode: u('C1'), dueAt: '2020-01-01' }]));
    expect(past.status).toBe(400);
    expect(past.body.error.details.map((d: { path: unknown[] }) => d.path.join('.'))).toEqual(['tasks.0.dueAt']);
    const often = await act(
      `${p1}/concretize`,
      tokens.P1!,
      plan([{ title: 'often', leadUnitCode: u('C1'), dueAt: future(10), recurrence: 'PT1S' }]),
    );
    expect(often.status).toBe(400);
    expect(often.body.error.details.map((d: { path: unknown[] }) => d.path.join('.'))).toEqual(['tasks.0.recurrence']);
    const wide = await request(appWith({ CASCADE_MAX_REACH: 1 }))
      .post(`${p1}/concretize`)
      .set(bearer(tokens.P1!))
      .send(plan([{ title: 'wide', leadUnitCode: u('C1'), coordinatingUnits: [u('D1')], dueAt: future(10) }]));
    expect(wide.status).toBe(403);
    expect(wide.body.error.code).toBe('APPROVAL_REQUIRED');
    // Nothing of the refused plans reached the workflow: it still waits for the plan.
    const view = (await api().get(p1).set(bearer(tokens.P1!)).expect(200)).body;
    expect(view.implementingDirectiveId).toBeNull();
  });
});

describe('rate limits and /health', () => {
  test('when an unauthenticated client goes past its own limit then it gets 429, while a token keeps working', async () => {
    const app = appWith({ RATE_LIMIT_PER_CLIENT: 2 });
    await request(app).get(`/api/v1/units/${ROOT}`).expect(401);
    await request(app).get('/api/v1/openapi.json').expect(200);
    const limited = await request(app).get(`/api/v1/units/${ROOT}`).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    await request(app).get(`/api/v1/units/${ROOT}`).set(bearer('ct_not-a-token')).expect(429);
    await request(app).get(`/api/v1/units/${ROOT}`).set(bearer(ADMIN)).expect(200);
    await request(app).get(`/api/v1/units/${u('P1')}`).set(bearer(tokens.P1!)).expect(200);
    await request(app).get('/health').expect(200);
  });

  test('when /health is asked many times at once then the database and Temporal are probed once', async () => {
    let probes = 0;
    const app = appWith(
      {},
      {
        health: async () => {
          probes += 1;
          return { database: 'ok', temporal: 'ok' };
        },
      },
    );
    const answers = await Promise.all(Array.from({ length: 20 }, () => request(app).get('/health')));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    for (let i = 0; i < 5; i++) await request(app).get('/health').expect(200);
    expect(probes).toBe(1);
  });
});

describe('the same answer whether a unit exists or not', () => {
  test('when a unit decides an extension of a unit that is not its child, or of an unknown unit, then both are the same 403', async () => {
    const decide = (code: string) =>
      api()
        .post(`/api/v1/directives/${cascade}/units/${code}/extension-requests/${crypto.randomUUID()}/decision`)
        .set(bearer(tokens.P2!))
        .send({ approve: true });
    const existing = await decide(u('P1'));
    const unknown = await decide(u('NOPE'));
    expect([existing.status, unknown.status]).toEqual([403, 403]);
    expect(existing.body.error.code).toBe(unknown.body.error.code);
    expect(existing.body.error.message).not.toContain(ROOT);
  });

  test('when a unit asks the map below a unit outside its view, or an unknown one, then both are the same 403', async () => {
    const map = (parent: string) =>
      api().get(`/api/v1/dashboard/directives/${cascade}/map`).query({ parent }).set(bearer(tokens.P1!));
    const outside = await map(u('P2'));
    const unknown = await map(u('NOPE'));
    expect([outside.status, unknown.status]).toEqual([403, 403]);
    expect(outside.body.error.message.replace(u('P2'), 'X')).toBe(unknown.body.error.message.replace(u('NOPE'), 'X'));
  });
});

describe('Markdown in what the Temporal UI renders', () => {
  const planted = '**Khẩn** [Bấm vào đây](http://evil.example/a) ![](http://evil.example/x.png) <img src=x>';

  test('when a directive, and its task, are titled with Markdown then the workflows show them as plain text', async () => {
    const issued = await api()
      .post('/api/v1/directives')
      .set(bearer(tokens[ROOT]!))
      .send(directive(ROOT, { title: planted, recipients: [u('P2')], tasks: [{ title: planted, leadUnitCode: u('P2'), dueAt: future(10) }] }))
      .expect(201);
    const id = issued.body.id as string;
    const root = await stack.client.workflow.getHandle(workflowIds.directive(id)).describe();
    const part = await waitFor(
      () => stack.client.workflow.getHandle(workflowIds.taskPart(id, 't1', u('P2'))).describe(),
      () => true,
      'the task part workflow',
    );
    for (const text of [await root.staticSummary(), await root.staticDetails(), await part.staticDetails()]) {
      const html = rendered(text);
      expect(html).not.toMatch(/<(a|img|strong|em)\b/);
    }
    expect(await root.staticSummary()).toContain('Khẩn');
  });

  test('when a document number holds Markdown then issuing and concretizing are 400 naming number', async () => {
    const refused = await api()
      .post('/api/v1/directives')
      .set(bearer(ADMIN))
      .send(directive(ROOT, { number: '[1](http://evil.example)' }))
      .expect(400);
    expect(refused.body.error.details.map((d: { path: unknown[] }) => d.path.join('.'))).toEqual(['number']);
    const concretize = await api()
      .post(`/api/v1/directives/${cascade}/units/${u('P1')}/concretize`)
      .set(bearer(tokens.P1!))
      .send({ number: '![](http://evil.example/x.png)', title: 't', issuedAt: '2026-01-01' })
      .expect(400);
    expect(concretize.body.error.details.map((d: { path: unknown[] }) => d.path.join('.'))).toEqual(['number']);
  });
});
