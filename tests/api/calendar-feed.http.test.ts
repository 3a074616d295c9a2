/**
 * A unit's calendar feed: every open deadline (the Obligation table: not done, not cancelled)
 * as an RFC 5545 event with an alarm, read back with an independent parser (ical.js), behind
 * a feed secret that the unit rotates and revokes and that is never an API token.
 */
import ICAL from 'ical.js';
import request from 'supertest';
import { ADMIN, bearer, startApiStack, tokenFor, type ApiStack } from './helpers';
import { uniqueSuffix } from '../harness/stack';

let stack: ApiStack;
const sfx = uniqueSuffix().toUpperCase();
const UNIT = `C${sfx}`;
const OTHER = `D${sfx}`;
const DIRECTIVE = `feed-${sfx}`;
let token: string;

/** Obligations of the unit as the workflows record them: two open, one done, one cancelled. */
const obligations = [
  { key: 'ack@1', kind: 'ack', deadline: '2026-11-25T10:00:00.000Z' },
  { key: 'report#1', kind: 'report', deadline: '2027-06-14T10:00:00.000Z' },
  { key: 'concretize', kind: 'concretize', deadline: '2026-11-27T10:00:00.000Z', doneAt: new Date('2026-11-26T03:00:00Z') },
  { key: 'ack@2', kind: 'ack', deadline: '2026-12-01T10:00:00.000Z', cancelledAt: new Date('2026-11-28T03:00:00Z') },
];

beforeAll(async () => {
  stack = await startApiStack();
  await request(stack.app)
    .put('/api/v1/units')
    .set(bearer(ADMIN))
    .send({
      units: [
        { code: UNIT, name: 'Sở TT&TT thử', level: 'province', parentCode: null },
        { code: OTHER, name: 'Sở khác', level: 'province', parentCode: null },
      ],
    })
    .expect(200);
  token = (await tokenFor(stack.app, UNIT)).token;
  await stack.db.directive.create({
    data: {
      id: DIRECTIVE, number: `523/${UNIT}`, kind: 'Công văn', title: 'Tuyên truyền Kết luận 70', issuerCode: OTHER,
      issuedAt: new Date('2026-11-20T00:00:00Z'), rootId: DIRECTIVE, recipients: [UNIT], basedOn: [], status: 'ACTIVE',
    },
  });
  await stack.db.obligation.createMany({
    data: obligations.map((o) => ({
      id: `${DIRECTIVE}/${UNIT}/${o.key}`, directiveId: DIRECTIVE, ownerId: `${DIRECTIVE}/${UNIT}`, unitCode: UNIT, level: 'province',
      kind: o.kind, key: o.key, deadline: new Date(o.deadline), doneAt: o.doneAt ?? null, cancelledAt: o.cancelledAt ?? null,
    })),
  });
});

afterAll(() => stack.close());

const feedUrl = (key: string, code = UNIT) => `/api/v1/units/${code}/calendar.ics?key=${encodeURIComponent(key)}`;

describe('calendar feed', () => {
  test('when the unit reads its feed then every open deadline is an event with an alarm, and nothing done or cancelled is', async () => {
    const issued = await request(stack.app).post(`/api/v1/units/${UNIT}/calendar-feed`).set(bearer(token)).expect(201);
    expect(issued.body.url).toBe(feedUrl(issued.body.key));

    const res = await request(stack.app).get(issued.body.url).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const calendar = new ICAL.Component(ICAL.parse(res.text));
    const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
    const open = obligations.filter((o) => !o.doneAt && !o.cancelledAt);
    expect(events.map((e) => e.endDate.toJSDate().toISOString()).sort()).toEqual(open.map((o) => o.deadline).sort());
    expect(events.map((e) => e.uid).sort()).toEqual(open.map((o) => `${DIRECTIVE}/${UNIT}/${o.key}@directive-cascade`).sort());
    const ack = events.find((e) => e.uid.includes('ack@1'))!;
    expect(ack.summary).toBe(`Hạn tiếp nhận — 523/${UNIT}`);
    const alarms = ack.component.getAllSubcomponents('valarm');
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.getFirstPropertyValue('action')).toBe('DISPLAY');
    expect(String(alarms[0]!.getFirstPropertyValue('trigger'))).toBe('-P1D');
  });

  test('when the key is rotated, revoked, wrong, or an API token then the feed is refused', async () => {
    const first = (await request(stack.app).post(`/api/v1/units/${UNIT}/calendar-feed`).set(bearer(ADMIN)).expect(201)).body.key as string;
    const second = (await request(stack.app).post(`/api/v1/units/${UNIT}/calendar-feed`).set(bearer(token)).expect(201)).body.key as string;
    await request(stack.app).get(feedUrl(first)).expect(401);
    await request(stack.app).get(feedUrl(second)).expect(200);
    await request(stack.app).get(feedUrl(second, OTHER)).expect(401);
    await request(stack.app).get(feedUrl(second, `NO${sfx}`)).expect(404);
    await request(stack.app).get(feedUrl(token)).expect(401);
    await request(stack.app).get(`/api/v1/units/${UNIT}/calendar.ics`).expect(400);
    await request(stack.app).post(`/api/v1/units/${OTHER}/calendar-feed`).set(bearer(token)).expect(403);

    await request(stack.app).delete(`/api/v1/units/${UNIT}/calendar-feed`).set(bearer(token)).expect(204);
    await request(stack.app).get(feedUrl(second)).expect(401);
    await request(stack.app).delete(`/api/v1/units/${UNIT}/calendar-feed`).set(bearer(token)).expect(404);
  });
});
