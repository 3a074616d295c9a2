import pg from 'pg';
import { applyMigrations } from '../stack/migrate';
import { stackState } from './harness/stack';

describe('migrations', () => {
  test('when migrations are applied to an empty database then every table of the model exists', async () => {
    const admin = new pg.Client({ connectionString: stackState().databaseUrl });
    await admin.connect();
    const name = `cascade_mig_${Date.now()}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(stackState().databaseUrl);
    url.pathname = `/${name}`;
    try {
      await applyMigrations(url.toString());
      await applyMigrations(url.toString()); // a second run is a no-op, not an error
      const fresh = new pg.Client({ connectionString: url.toString() });
      await fresh.connect();
      const rows = await fresh.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
      );
      await fresh.end();
      const tables = rows.rows.map((r: { table_name: string }) => r.table_name);
      expect(tables).toEqual(
        expect.arrayContaining([
          'Unit', 'Directive', 'Task', 'Assignment', 'TimelineEvent', 'Escalation', 'Report',
          'ExtensionRequest', 'ApiToken', 'OutboxMessage', 'IdempotencyRecord', '_prisma_migrations',
        ]),
      );
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
