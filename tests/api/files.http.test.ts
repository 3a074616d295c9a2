/**
 * Files kept with directives and implementing documents over the real stack: the issuer
 * keeps the original, a unit the directive reached downloads the same bytes, a unit outside
 * the cascade cannot; content is checked, size is bounded. The bytes live in a directory
 * here; tests/file-store-s3.test.ts runs the same store contract against an S3 server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { bearer, putDemoTree, startApiStack, tokenFor, waitFor, type ApiStack } from './helpers';
import { uniqueSuffix } from '../harness/stack';
import { pdfFrom } from '../documents/make-files';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kept-files-'));
let stack: ApiStack;
let ttcs: string;
let vp: string;
let id: string;
beforeAll(async () => {
  stack = await startApiStack({ worker: true, env: { FILE_STORE_DIR: dir, DOCUMENT_MAX_BYTES: String(1024 * 1024) } });
  await putDemoTree(stack.app);
  ttcs = (await tokenFor(stack.app, 'TTCS')).token;
  vp = (await tokenFor(stack.app, 'STTTT-VP')).token;
  id = (
    await request(stack.app)
      .post('/api/v1/directives')
      .set(bearer(ttcs))
      .send({ number: `88/TTCS-TT-${uniqueSuffix()}`, kind: 'Công văn', title: 'Văn bản có tệp', issuerCode: 'TTCS', issuedAt: '2026-12-01', recipients: ['STTTT-VP'], policy: { ackWithin: 'P2D' } })
      .expect(201)
  ).body.id;
  await waitFor(
    async () => (await request(stack.app).get(`/api/v1/directives/${id}/assignments`).set(bearer(ttcs))).body.total as number,
    (n) => n === 1,
    'Vĩnh Phúc delivered',
  );
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

const binary = (req: request.Test) =>
  req.buffer(true).parse((r, done) => {
    const chunks: Buffer[] = [];
    r.on('data', (c: Buffer) => chunks.push(c));
    r.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('when the issuer keeps the signed original with its directive', () => {
  it('then a unit it reached lists and downloads the same bytes, and a unit outside the cascade cannot', async () => {
    const pdf = await pdfFrom('Số: 88/TTCS-TT\nHà Nội, ngày 01 tháng 12 năm 2026\nV/v văn bản có tệp');
    const kept = await request(stack.app).post(`/api/v1/directives/${id}/files`).set(bearer(ttcs)).field('role', 'original').attach('file', pdf, 'cong-van.pdf').expect(201);
    expect(kept.body).toMatchObject({ role: 'original', filename: 'cong-van.pdf', contentType: 'application/pdf', size: pdf.length, uploadedBy: 'TTCS' });

    const list = await request(stack.app).get(`/api/v1/directives/${id}/files`).set(bearer(vp)).expect(200);
    expect(list.body.items.map((f: { id: string }) => f.id)).toEqual([kept.body.id]);
    const got = await binary(request(stack.app).get(`/api/v1/directives/${id}/files/${kept.body.id}`).set(bearer(vp))).expect(200);
    expect(got.headers['content-type']).toContain('application/pdf');
    expect(Buffer.compare(got.body as Buffer, pdf)).toBe(0);

    const outside = (await tokenFor(stack.app, 'STTTT-BN')).token;
    await request(stack.app).get(`/api/v1/directives/${id}/files/${kept.body.id}`).set(bearer(outside)).expect(403);
  });
});

describe('when a file is refused', () => {
  it('then a unit that is not the issuer may not add one', async () => {
    await request(stack.app).post(`/api/v1/directives/${id}/files`).set(bearer(vp)).attach('file', Buffer.from('Văn bản'), 'a.txt').expect(403);
  });
  it('then a binary renamed .pdf is a 415, an empty file a 400, an oversize one a 413', async () => {
    const bytes = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31) % 256));
    expect((await request(stack.app).post(`/api/v1/directives/${id}/files`).set(bearer(ttcs)).attach('file', bytes, 'x.pdf').expect(415)).body.error.code).toBe('UNSUPPORTED_FILE');
    expect((await request(stack.app).post(`/api/v1/directives/${id}/files`).set(bearer(ttcs)).attach('file', Buffer.alloc(0), 'x.txt').expect(400)).body.error.code).toBe('EMPTY_FILE');
    await request(stack.app).post(`/api/v1/directives/${id}/files`).set(bearer(ttcs)).attach('file', Buffer.alloc(2 * 1024 * 1024, 'a'), 'x.txt').expect(413);
  });
  it('then a request without a file names the field', async () => {
    const res = await request(stack.app).post(`/api/v1/directives/${id}/files`).set(bearer(ttcs)).send({ role: 'attachment' }).expect(400);
    expect(res.body.error.details[0].path).toEqual(['file']);
  });
});
