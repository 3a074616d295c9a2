import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ConfigError, loadConfig } from '../runtime/config';

describe('configuration', () => {
  test('when nothing is set then sane defaults apply', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3000, TEMPORAL_NAMESPACE: 'default', TEMPORAL_UI_PORT: 8233, DATA_DIR: '.data' });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  test('when values are bad then every bad variable is named', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', TEMPORAL_ADDRESS: 'nohost', CASCADE_ADMIN_TOKEN: 'short' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    for (const name of ['PORT', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'CASCADE_ADMIN_TOKEN']) {
      expect(message).toContain(name);
    }
  });

  test('when npm start gets a bad value then it stops at once with a message and no stack trace', () => {
    const root = path.resolve(__dirname, '..');
    const run = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'not-a-port', TEMPORAL_ADDRESS: '', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('PORT');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
