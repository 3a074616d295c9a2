/**
 * Generates the Prisma client (read-model/generated/prisma) when it is missing or the schema
 * changed. The client runs on the pg driver adapter, so no native engine is needed; the
 * CLI still checks for engine files, so we point it at a harmless existing file rather
 * than let it try to download one (which fails without internet).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { childEnv, loadConfig } from '../runtime/config';

const root = path.resolve(__dirname, '..');
const schema = path.join(root, 'prisma', 'schema.prisma');
const out = path.join(root, 'read-model', 'generated', 'prisma');
const stamp = path.join(out, '.schema-sha256');

export function generatePrismaClient(): void {
  const hash = crypto.createHash('sha256').update(fs.readFileSync(schema)).digest('hex');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  const placeholder = process.execPath; // any existing file will do
  const config = loadConfig();
  const run = spawnSync(path.join(root, 'node_modules', '.bin', 'prisma'), ['generate'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv({
      PRISMA_SCHEMA_ENGINE_BINARY: config.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
      PRISMA_QUERY_ENGINE_LIBRARY: config.PRISMA_QUERY_ENGINE_LIBRARY ?? placeholder,
      DATABASE_URL: config.DATABASE_URL ?? 'postgresql://placeholder@localhost/placeholder',
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    }),
  });
  if (run.status !== 0) {
    throw new Error(`prisma generate failed:\n${run.stdout?.toString()}${run.stderr?.toString()}`);
  }
  fs.writeFileSync(stamp, hash);
}

if (require.main === module) {
  generatePrismaClient();
  process.stderr.write('Prisma client ready (read-model/generated/prisma)\n');
}
