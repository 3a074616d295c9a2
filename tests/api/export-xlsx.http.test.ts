/**
 * GET /api/v1/directives/{id}/export.xlsx over the real stack, read back with an
 * independent reader (read-excel-file) and checked against the API's JSON: the four
 * official counts, one row per unit with its stage and dates as dates, task parts, filters
 * on; a unit token gets only its subtree's rows.
 */
import ExcelJS from 'exceljs';
import { readSheet } from 'read-excel-file/node';
import request from 'supertest';
import { bearer, putDemoTree, startApiStack, tokenFor, waitFor, type ApiStack } from './helpers';
import { uniqueSuffix } from '../harness/stack';
import { SHEETS } from '../../documents/progress-workbook';

let stack: ApiStack;
let ttcs: string;
let vp: string;
let id: string;
beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await putDemoTree(stack.app);
  ttcs = (await tokenFor(stack.app, 'TTCS')).token;
  vp = (await tokenFor(stack.app, 'STTTT-VP')).token;
  const issued = await request(stack.app)
    .post('/api/v1/directives')
    .set(bearer(ttcs))
    .send({
      number: `77/TTCS-TT-${uniqueSuffix()}`,
      kind: 'Công văn',
      title: 'Báo cáo tiến độ',
      issuerCode: 'TTCS',
      issuedAt: '2026-12-01',
      tasks: [{ title: 'Tập huấn', leadUnitCode: 'STTTT-VP', coordinatingUnits: ['STTTT-PT'], dueAt: '2027-01-15' }],
      policy: { ackWithin: 'P2D', concretizeWithin: 'P5D' },
    })
    .expect(201);
  id = issued.body.id;
  await waitFor(
    async () => (await request(stack.app).get(`/api/v1/directives/${id}/assignments`).set(bearer(ttcs))).body.total as number,
    (total) => total === 3,
    'the three provinces delivered',
  );
  await waitFor(
    async () => (await request(stack.app).post(`/api/v1/directives/${id}/units/STTTT-VP/acknowledge`).set(bearer(vp)).send({})).status,
    (status) => status < 300,
    'Vĩnh Phúc acknowledged',
  );
});
afterAll(() => stack.close());

const xlsx = async (token: string) => {
  const res = await request(stack.app)
    .get(`/api/v1/directives/${id}/export.xlsx`)
    .set(bearer(token))
    .buffer(true)
    .parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    })
    .expect(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  return res.body as Buffer;
};

describe('when the issuer exports a cascade', () => {
  it('then the workbook holds what the API says: counts, units with their stages and dates, task parts', async () => {
    const file = await xlsx(ttcs);
    const api = (await request(stack.app).get(`/api/v1/directives/${id}`).set(bearer(ttcs)).expect(200)).body;
    const assignments = (await request(stack.app).get(`/api/v1/directives/${id}/assignments?limit=100`).set(bearer(ttcs)).expect(200)).body.items;

    const counts = await readSheet(file, SHEETS.counts);
    expect(counts[0]).toEqual(['Nhóm', 'Tên', 'Hoàn thành đúng hạn', 'Hoàn thành quá hạn', 'Đang thực hiện trong hạn', 'Quá hạn chưa hoàn thành', 'Tổng số']);
    const overall = api.progress.official.overall;
    expect(counts[1]!.slice(2, 6)).toEqual([overall.onTime, overall.late, overall.openWithinDeadline, overall.overdue]);
    expect(counts.filter((r) => r[0] === 'Tỉnh')).toHaveLength(Object.keys(api.progress.official.byProvince).length);

    const units = await readSheet(file, SHEETS.units);
    expect(units[0]!.slice(0, 6)).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Cấp', 'Đơn vị cấp trên', 'Giai đoạn', 'Tình trạng']);
    const rows = units.slice(1);
    expect(rows.map((r) => r[0]).sort()).toEqual(assignments.map((a: { unitCode: string }) => a.unitCode).sort());
    for (const a of assignments as Array<{ unitCode: string; stage: string; deliveredAt: string }>) {
      const row = rows.find((r) => r[0] === a.unitCode)!;
      expect(row[4]).toBe(a.stage);
      // A date cell, holding the Vietnam wall time of the API's instant.
      expect(row[6]).toBeInstanceOf(Date);
      expect(Math.abs((row[6] as unknown as Date).getTime() - (new Date(a.deliveredAt).getTime() + 7 * 3600_000))).toBeLessThan(1000);
    }
    expect(rows.find((r) => r[0] === 'STTTT-VP')![4]).toBe('ACKNOWLEDGED');

    const tasks = await readSheet(file, SHEETS.tasks);
    const parts = api.progress.tasks.flatMap((t: { parts: unknown[] }) => t.parts);
    expect(tasks.slice(1)).toHaveLength(parts.length);
    expect(tasks.slice(1).map((r) => `${r[2]}:${r[3]}`).sort()).toEqual(['STTTT-PT:Phối hợp', 'STTTT-VP:Chủ trì']);

    // Filters on every sheet (read with exceljs: read-excel-file reads values only).
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file as unknown as ArrayBuffer);
    for (const name of Object.values(SHEETS)) expect(wb.getWorksheet(name)!.autoFilter).toBeDefined();
  });
});

describe('when a province exports the same cascade', () => {
  it('then it gets only the rows of its own subtree', async () => {
    const units = await readSheet(await xlsx(vp), SHEETS.units);
    expect(units.slice(1).map((r) => r[0])).toEqual(['STTTT-VP']);
  });
  it('then a unit outside the cascade is refused', async () => {
    const bn = (await tokenFor(stack.app, 'VP-LT')).token;
    await request(stack.app).get(`/api/v1/directives/${id}/export.xlsx`).set(bearer(bn)).expect(403);
  });
});
