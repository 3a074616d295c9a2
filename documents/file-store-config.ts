/** The file store the configuration names (documents/file-store.ts). */
import path from 'node:path';
import type { Config } from '../runtime/config';
import { directoryFileStore, s3FileStore, type FileStore } from './file-store';

export function fileStoreFrom(config: Config): FileStore {
  if (config.FILE_STORE === 'directory') return directoryFileStore(config.FILE_STORE_DIR ?? path.join(config.DATA_DIR, 'files'));
  if (!config.S3_BUCKET) throw new Error('FILE_STORE=s3 needs S3_BUCKET');
  return s3FileStore({
    bucket: config.S3_BUCKET,
    region: config.S3_REGION,
    forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
    ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
    ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
      ? { credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } }
      : {}),
  });
}
