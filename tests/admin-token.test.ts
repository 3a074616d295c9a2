/**
 * The admin token of `npm start`: a token from the environment is never printed, a token
 * file that cannot be used stops start-up with a message naming it, and a fresh data
 * directory gets a generated token readable by its owner only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdminTokenFileError, describeAdminToken, resolveAdminToken } from '../stack/admin-token';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'admin-token-'));

test('when the token comes from CASCADE_ADMIN_TOKEN then start-up does not print it', () => {
  const secret = 'env-secret-0123456789';
  const resolved = resolveAdminToken(secret, tmp());
  expect(resolved).toEqual({ token: secret, source: 'environment' });
  expect(describeAdminToken(resolved)).not.toContain(secret);
});

test('when no token exists then one is generated into a file of mode 600 and shown with where it is kept', () => {
  const dir = tmp();
  const first = resolveAdminToken(undefined, dir);
  expect(first.source).toBe('generated');
  expect(fs.statSync(first.file!).mode & 0o777).toBe(0o600);
  expect(describeAdminToken(first)).toContain(first.token);
  expect(resolveAdminToken(undefined, dir)).toEqual({ ...first, source: 'file' });
});

test.each([
  ['empty', '\n', /empty/],
  ['too short', 'short\n', /at least 16/],
  ['two words', 'abcdefgh ijklmnopqrst\n', /without spaces/],
])('when the token file is %s then start-up stops naming the file', (_what, content, problem) => {
  const dir = tmp();
  const file = path.join(dir, 'admin-token');
  fs.writeFileSync(file, content, { mode: 0o600 });
  expect(() => resolveAdminToken(undefined, dir)).toThrow(AdminTokenFileError);
  expect(() => resolveAdminToken(undefined, dir)).toThrow(problem);
  expect(() => resolveAdminToken(undefined, dir)).toThrow(file);
});

test('when the token file is readable by other users then start-up stops and says to chmod it', () => {
  const dir = tmp();
  const file = path.join(dir, 'admin-token');
  fs.writeFileSync(file, 'a-perfectly-good-token-0123\n');
  fs.chmodSync(file, 0o644);
  expect(() => resolveAdminToken(undefined, dir)).toThrow(/chmod 600/);
});
