import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** CASCADE_ADMIN_TOKEN if set; otherwise one generated once and kept under DATA_DIR (mode 600). */
export function adminToken(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = path.resolve(dataDir, 'admin-token');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(dataDir, { recursive: true });
  const token = crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  return token;
}
