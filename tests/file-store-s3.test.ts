/**
 * The S3 file store against an S3-compatible server run here (s3rver, from npm, on a free
 * port with its own directory): what is put is got back byte for byte, and a missing key
 * is null, not an error.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { s3FileStore } from '../documents/file-store';
import { freePort } from '../stack/ports';

const dir = mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
let server: S3rver;
let endpoint: string;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  const port = await freePort();
  server = new S3rver({ port, address: '127.0.0.1', directory: dir, silent: true });
  await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  await new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials }).send(new CreateBucketCommand({ Bucket: 'documents' }));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('when files are kept in an S3-compatible bucket', () => {
  it('then what is put is got back byte for byte, and a missing key is null', async () => {
    const store = s3FileStore({ bucket: 'documents', region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 131) % 256));
    await store.put('files/ab/abc', data, 'application/pdf');
    expect(Buffer.compare((await store.get('files/ab/abc'))!, data)).toBe(0);
    expect(await store.get('files/no/such')).toBeNull();
  });
});
