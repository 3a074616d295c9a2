/**
 * Applies the Prisma migrations (`prisma migrate deploy`, WASM schema engine via
 * prisma.config.ts). Idempotent: applied migrations are skipped.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

export async function applyMigrations(databaseUrl: string): Promise<void> {
  const bin = path.join(root, 'node_modules', '.bin', 'prisma');
  await new Promise<void>((resolve, reject) => {
    const child = spawn(bin, ['migrate', 'deploy'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${out}`)),
    );
  });
}
