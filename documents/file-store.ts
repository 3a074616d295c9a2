/**
 * Where kept files' bytes live: a directory (the embedded default, under DATA_DIR) or an
 * S3-compatible bucket (production, through @aws-sdk/client-s3). Keys are named by the
 * content's SHA-256, so a retried upload writes the same object and two documents sharing
 * a file share its bytes.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface FileStore {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The bytes, or null when the key holds nothing. */
  get(key: string): Promise<Buffer | null>;
}

/** Files in a directory; each written to a temporary name and renamed, so a crash never leaves half a file under its key. */
export function directoryFileStore(dir: string): FileStore {
  const at = (key: string) => path.join(dir, ...key.split('/'));
  return {
    async put(key, data) {
      const target = at(key);
      await mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${randomUUID()}.tmp`;
      await writeFile(tmp, data, { flush: true });
      await rename(tmp, target);
    },
    async get(key) {
      try {
        return await readFile(at(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
  };
}

export interface S3Settings {
  bucket: string;
  region: string;
  endpoint?: string;
  /** Path-style addressing (`endpoint/bucket/key`), which most S3-compatible servers need. */
  forcePathStyle: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** Objects in an S3-compatible bucket. */
export function s3FileStore(s: S3Settings): FileStore {
  const client = new S3Client({
    region: s.region,
    forcePathStyle: s.forcePathStyle,
    ...(s.endpoint ? { endpoint: s.endpoint } : {}),
    ...(s.credentials ? { credentials: s.credentials } : {}),
  });
  return {
    async put(key, data, contentType) {
      await client.send(new PutObjectCommand({ Bucket: s.bucket, Key: key, Body: data, ContentType: contentType, ContentLength: data.length }));
    },
    async get(key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: s.bucket, Key: key }));
        return Buffer.from(await out.Body!.transformToByteArray());
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') return null;
        throw err;
      }
    },
  };
}
