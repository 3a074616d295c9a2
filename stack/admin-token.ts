/**
 * The admin token of `npm start`: CASCADE_ADMIN_TOKEN when set, else one generated once and
 * kept in DATA_DIR/admin-token (mode 600). A token file that is empty, too short, holds
 * whitespace inside, or is readable by other users stops start-up with a message naming
 * the file: it would otherwise disable the admin or leak it.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type AdminTokenSource = 'environment' | 'file' | 'generated';

export interface ResolvedAdminToken {
  token: string;
  source: AdminTokenSource;
  /** The token file (for 'file' and 'generated'). */
  file?: string;
}

/** A token file that cannot be used: the message says which and what to do. */
export class AdminTokenFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}. Fix or delete the file (a new token is then generated), or set CASCADE_ADMIN_TOKEN.`);
    this.name = 'AdminTokenFileError';
  }
}

function readTokenFile(file: string): string {
  const mode = fs.statSync(file).mode & 0o777;
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    throw new AdminTokenFileError(file, `readable by other users (mode ${mode.toString(8)}); chmod 600 it`);
  }
  const token = fs.readFileSync(file, 'utf8').trim();
  if (token.length === 0) throw new AdminTokenFileError(file, 'the admin token file is empty');
  if (/\s/.test(token)) throw new AdminTokenFileError(file, 'the admin token must be one line without spaces');
  if (token.length < 16) throw new AdminTokenFileError(file, 'the admin token must be at least 16 characters');
  return token;
}

/** The admin token and where it came from. */
export function resolveAdminToken(configured: string | undefined, dataDir: string): ResolvedAdminToken {
  if (configured) return { token: configured, source: 'environment' };
  const file = path.resolve(dataDir, 'admin-token');
  if (fs.existsSync(file)) return { token: readTokenFile(file), source: 'file', file };
  fs.mkdirSync(dataDir, { recursive: true });
  const token = crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  return { token, source: 'generated', file };
}

/** CASCADE_ADMIN_TOKEN if set; otherwise the one kept under DATA_DIR (generated once). */
export function adminToken(configured: string | undefined, dataDir: string): string {
  return resolveAdminToken(configured, dataDir).token;
}

/**
 * What start-up prints about the admin token: never a token that came from the
 * environment (it may be shared with other services and end up in logs); a token of our
 * own file is shown, as `npm start` is where its user learns it.
 */
export function describeAdminToken(resolved: ResolvedAdminToken): string {
  if (resolved.source === 'environment') return '(from CASCADE_ADMIN_TOKEN, not shown)';
  return `${resolved.token}   (kept in ${resolved.file})`;
}
