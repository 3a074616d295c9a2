/**
 * POST /api/v1/documents/parse over the real stack: the seeds read into drafts that the
 * API issues once a person fills what is missing; files read by content (.txt, .docx,
 * .pdf, .edxml); bad files refused with a 4xx naming the problem.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { ADMIN, bearer, putDemoTree, startApiStack, tokenFor, type ApiStack } from './helpers';
import { uniqueSuffix } from '../harness/stack';
import { docxFrom, pdfFrom, scannedPdf } from '../documents/make-files';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'documents');
const letter = readFileSync(path.join(FIXTURES, 'cong-van-cuc-ttcs-ket-luan-70.txt'), 'utf8');

let stack: ApiStack;
let ttcs: string;
beforeAll(async () => {
  stack = await startApiStack({ worker: true });
  await putDemoTree(stack.app);
  ttcs = (await tokenFor(stack.app, 'TTCS')).token;
});
afterAll(() => stack.close());

const parse = () => request(stack.app).post('/api/v1/documents/parse').set(bearer(ttcs));

/** Tasks with every due date moved to 30 days from now, in order (a past deadline is refused). */
function aheadOfNow<T extends { dueAt?: string }>(tasks: T[] | undefined): T[] | undefined {
  return tasks?.map((t, i) => (t.dueAt ? { ...t, dueAt: new Date(Date.now() + (30 + i) * 86_400_000).toISOString() } : t));
}

describe('when the centre pastes the seed letter', () => {
  it('then the draft names its provinces, its basis and its signer, lists the blank number and day, and issues once they are filled', async () => {
    const res = await parse().send({ issuerCode: 'TTCS', text: letter }).expect(200);
    const { draft, fields, unresolved } = res.body;
    expect(draft.recipients.sort()).toEqual(['STTTT-BN', 'STTTT-PT', 'STTTT-VP']);
    expect(draft.basedOn).toEqual(expect.arrayContaining(['164-HD/BTGTW', '70-KL/TW']));
    expect(draft.basedOn).not.toContain('134/NQ-CP');
    expect(draft.kind).toBe('Công văn');
    expect(fields.signer.value).toEqual({ competence: 'KT. CỤC TRƯỞNG', title: 'PHÓ CỤC TRƯỞNG', name: 'Hoàng Minh Phương' });
    expect(fields.recipients.filter((r: { value: { role: string } }) => r.value.role === 'report-to').map((r: { value: { text: string } }) => r.value.text)).toEqual([
      'Bộ trưởng',
      'Thứ trưởng Hoàng Vĩnh Bảo',
    ]);
    // The source line of the recipients is the "Kính gửi" line of the file.
    const kinhGui = letter.split('\n').findIndex((l) => l.includes('Kính gửi')) + 1;
    expect(fields.recipients[0].line).toBe(kinhGui);
    expect(unresolved.map((u: { field: string }) => u.field)).toEqual(expect.arrayContaining(['number', 'issuedAt']));
    expect(draft.number).toBeUndefined();
    expect(draft.issuedAt).toBeUndefined();

    // A person fills what the draft lacks; the API takes the rest as it is.
    const number = `${Math.floor(Math.random() * 9000) + 1000}/TTCS-TT-${uniqueSuffix()}`;
    const issued = await request(stack.app)
      .post('/api/v1/directives')
      .set(bearer(ttcs))
      .send({ ...draft, number, issuedAt: '2021-07-29' })
      .expect(201);
    const read = await request(stack.app).get(`/api/v1/directives/${issued.body.id}`).set(bearer(ttcs)).expect(200);
    expect(read.body.recipients.sort()).toEqual(['STTTT-BN', 'STTTT-PT', 'STTTT-VP']);
    expect(read.body.basedOn).toEqual(draft.basedOn);
    expect(read.body.tasks).toHaveLength(draft.tasks.length);
  });
});

describe('when a province reads its own plan and concretizes with it', () => {
  it('then the implementing document is accepted with the tasks and districts the plan names', async () => {
    const vp = (await tokenFor(stack.app, 'STTTT-VP')).token;
    const number = `523/TTCS-TT-${uniqueSuffix()}`;
    const issued = await request(stack.app)
      .post('/api/v1/directives')
      .set(bearer(ttcs))
      .send({ number, kind: 'Công văn', title: 'Tuyên truyền Kết luận 70', issuerCode: 'TTCS', issuedAt: '2021-07-29', recipients: ['STTTT-VP'], policy: { ackWithin: 'P2D' } })
      .expect(201);
    const plan = readFileSync(path.join(FIXTURES, 'ke-hoach-stttt-vinh-phuc.txt'), 'utf8');
    const parsed = await request(stack.app).post('/api/v1/documents/parse').set(bearer(vp)).send({ issuerCode: 'STTTT-VP', text: plan }).expect(200);
    const { draft } = parsed.body;
    expect(draft.recipients.sort()).toEqual(['VP-LT', 'VP-TD']);
    expect(draft.tasks.some((t: { leadUnitCode?: string }) => t.leadUnitCode === 'VP-LT')).toBe(true);

    const until = async () => {
      for (let i = 0; i < 60; i++) {
        const r = await request(stack.app).post(`/api/v1/directives/${issued.body.id}/units/STTTT-VP/acknowledge`).set(bearer(vp)).send({});
        if (r.status === 200 || r.status === 201) return;
        await new Promise((ok) => setTimeout(ok, 500));
      }
      throw new Error('the province never received the directive');
    };
    await until();
    const { number: planNumber, title, issuedAt, body, tasks, recipients } = draft;
    const done = await request(stack.app)
      .post(`/api/v1/directives/${issued.body.id}/units/STTTT-VP/concretize`)
      .set(bearer(vp))
      // The seed plan's deadlines lie years back: the person confirming sets them ahead.
      .send({ number: `${planNumber}-${uniqueSuffix()}`, title, issuedAt, body, tasks: aheadOfNow(tasks), recipients });
    expect([200, 201]).toContain(done.status);
    expect(done.body.implementingDirectiveId).toBeDefined();
  });
});

describe('when the same letter comes as a file', () => {
  it.each([
    ['.txt', async () => Buffer.from(letter, 'utf8')],
    ['.docx', () => docxFrom(letter)],
    ['.pdf', () => pdfFrom(letter)],
  ])('then a %s file gives the same recipients, basis and signer', async (ext, make) => {
    const res = await parse()
      .field('issuerCode', 'TTCS')
      .attach('file', await make(), `cong-van${ext}`)
      .expect(200);
    expect(res.body.source.kind).toBe(ext.slice(1));
    expect(res.body.draft.recipients.sort()).toEqual(['STTTT-BN', 'STTTT-PT', 'STTTT-VP']);
    expect(res.body.draft.basedOn).toEqual(expect.arrayContaining(['164-HD/BTGTW', '70-KL/TW']));
    expect(res.body.fields.signer.value.name).toBe('Hoàng Minh Phương');
  });
});

describe('when the input is bad', () => {
  it('then an empty file is a 400 EMPTY_FILE', async () => {
    const res = await parse().field('issuerCode', 'TTCS').attach('file', Buffer.alloc(0), 'x.txt').expect(400);
    expect(res.body.error.code).toBe('EMPTY_FILE');
  });
  it('then a binary renamed .pdf is a 415', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const res = await parse().field('issuerCode', 'TTCS').attach('file', bytes, 'cong-van.pdf').expect(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_FILE');
  });
  it('then a Word document named .pdf is a 415 CONTENT_MISMATCH', async () => {
    const res = await parse().field('issuerCode', 'TTCS').attach('file', await docxFrom(letter), 'cong-van.pdf').expect(415);
    expect(res.body.error.code).toBe('CONTENT_MISMATCH');
  });
  it('then a 50 MB upload (over the default DOCUMENT_MAX_BYTES, 20 MiB) is a 413 FILE_TOO_LARGE', async () => {
    const res = await parse().field('issuerCode', 'TTCS').attach('file', Buffer.alloc(50 * 1024 * 1024, 'a'), 'big.txt').expect(413);
    expect(res.body.error.code).toBe('FILE_TOO_LARGE');
  });
  it('then a scanned PDF without text is a 422 NO_TEXT_LAYER', async () => {
    const res = await parse().field('issuerCode', 'TTCS').attach('file', await scannedPdf(), 'scan.pdf').expect(422);
    expect(res.body.error.code).toBe('NO_TEXT_LAYER');
  });
  it('then neither text nor file is a 400 naming text', async () => {
    const res = await parse().send({ issuerCode: 'TTCS' }).expect(400);
    expect(res.body.error.details[0].path).toEqual(['text']);
  });
  it('then a unit reading for another issuer is a 403', async () => {
    await parse().send({ issuerCode: 'STTTT-VP', text: letter }).expect(403);
  });
  it('then the admin naming an unknown issuer gets a 404', async () => {
    await request(stack.app).post('/api/v1/documents/parse').set(bearer(ADMIN)).send({ issuerCode: 'NOPE', text: letter }).expect(404);
  });
});

describe('when an issued directive is exported as edXML and the package is read again', () => {
  it('then the draft has the same number, kind, title, date, recipients and basis', async () => {
    const parsed = (await parse().send({ issuerCode: 'TTCS', text: letter }).expect(200)).body.draft;
    const number = `${Math.floor(Math.random() * 9000) + 1000}/TTCS-TT`;
    const issued = await request(stack.app)
      .post('/api/v1/directives')
      .set(bearer(ttcs))
      .send({ ...parsed, number, issuedAt: '2021-07-29' })
      .expect(201);
    const exported = await request(stack.app)
      .get(`/api/v1/directives/${issued.body.id}/export.edxml`)
      .set(bearer(ttcs))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(exported.headers['content-type']).toContain('application/xml');
    const again = await parse().field('issuerCode', 'TTCS').attach('file', exported.body as Buffer, 'van-ban.edxml').expect(200);
    const original = (await request(stack.app).get(`/api/v1/directives/${issued.body.id}`).set(bearer(ttcs)).expect(200)).body;
    expect(again.body.source.kind).toBe('edxml');
    const { draft } = again.body;
    expect(draft.number).toBe(original.number);
    expect(draft.kind).toBe(original.kind);
    expect(draft.title).toBe(original.title);
    expect(draft.issuedAt).toBe('2021-07-29');
    expect(draft.recipients.sort()).toEqual([...original.recipients].sort());
    expect([...draft.basedOn].sort()).toEqual([...original.basedOn].sort());
  });
});
