/**
 * The least-privilege database roles of the production topology (deploy/postgres/roles.sql,
 * run by the postgres image on first start): on the real PostgreSQL of this run, the
 * migrator applies every migration, the app role serves the API and the outbox with rows
 * only, and it can neither create nor drop a table. psql is not at hand here, so its
 * variables (:"ident", :'literal') and \connect are interpreted by the test.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import request from 'supertest';
import type { Connection } from '@temporalio/client';
import { createApp } from '../api/app';
import { workflowIds } from '../contract/ids';
import { createDb, type Db } from '../read-model/db';
import { claimOutboxBatch } from '../read-model/outbox';
import { loadConfig } from '../runtime/config';
import { setLogLevel } from '../runtime/log';
import { applyMigrations } from '../stack/migrate';
import { demoTree } from '../domain/units/demo-tree';
import { stackState, testTemporal, uniqueSuffix } from './harness/stack';

jest.setTimeout(120_000);

const ADMIN = 'r'.repeat(32);
const sfx = uniqueSuffix();
const vars: Record<string, string> = {
  app_db: `cascade_roles_${sfx}`,
  migrator_role: `mig_${sfx}`,
  migrator_password: `mig-pw-${sfx}`,
  app_role: `app_${sfx}`,
  app_password: `app-pw-${sfx}`,
  temporal_role: `tmp_${sfx}`,
  temporal_password: `tmp-pw-${sfx}`,
};

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The URL of the run's PostgreSQL for `database`, as `user` (default: the run's superuser). */
function urlFor(database: string, user?: { name: string; password: string }): string {
  const url = new URL(stackState().databaseUrl);
  url.pathname = `/${database}`;
  if (user) {
    url.username = user.name;
    url.password = user.password;
  }
  return url.toString();
}

/** Runs roles.sql as psql would: statements end with ";" at a line end; \connect switches database. */
async function runRolesSql(): Promise<void> {
  const text = fs.readFileSync(path.resolve(__dirname, '..', 'deploy', 'postgres', 'roles.sql'), 'utf8');
  const substituted = text
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .replace(/:"(\w+)"/g, (_m, name: string) => quoteIdent(vars[name]!))
    .replace(/:'(\w+)'/g, (_m, name: string) => quoteLiteral(vars[name]!));
  let client = new pg.Client({ connectionString: urlFor(vars.app_db!) });
  await client.connect();
  try {
    for (const part of substituted.split(/;\s*\n|\n(?=\\connect)/)) {
      const statement = part.trim();
      if (!statement) continue;
      const connect = /^\\connect\s+"([^"]+)"/.exec(statement);
      if (connect) {
        await client.end();
        client = new pg.Client({ connectionString: urlFor(connect[1]!) });
        await client.connect();
        continue;
      }
      await client.query(statement);
    }
  } finally {
    await client.end();
  }
}

async function asSuperuser(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: stackState().databaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

let appDb: Db;
let connection: Connection;

beforeAll(async () => {
  setLogLevel('error');
  await asSuperuser(`CREATE DATABASE ${quoteIdent(vars.app_db!)}`);
  await runRolesSql();
});

afterAll(async () => {
  await appDb?.$disconnect();
  await connection?.close();
  await asSuperuser(`DROP DATABASE IF EXISTS ${quoteIdent(vars.app_db!)} WITH (FORCE)`);
  for (const role of [vars.app_role!, vars.migrator_role!, vars.temporal_role!]) {
    await asSuperuser(`DROP ROLE IF EXISTS ${quoteIdent(role)}`);
  }
});

test('when the migrator applies the migrations and the app role serves the API then everything works with rows only, and no DDL', async () => {
  await applyMigrations(urlFor(vars.app_db!, { name: vars.migrator_role!, password: vars.migrator_password! }));

  const appUrl = urlFor(vars.app_db!, { name: vars.app_role!, password: vars.app_password! });
  appDb = createDb(appUrl, 3);
  const temporal = await testTemporal();
  connection = temporal.connection;
  const config = loadConfig({ CASCADE_ADMIN_TOKEN: ADMIN, TEMPORAL_TASK_QUEUE: `roles-${sfx}`, RATE_LIMIT_NAMESPACE: `roles-${sfx}` });
  const app = createApp({ db: appDb, client: temporal.client, config });
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  await request(app).get('/health').expect(200);
  await request(app).put('/api/v1/units').set(as(ADMIN)).send({ units: demoTree() }).expect(200);
  const token = await request(app).post('/api/v1/units/STTTT-VP/tokens').set(as(ADMIN)).send({}).expect(201);
  await request(app).get('/api/v1/units/STTTT-VP').set(as(token.body.token)).expect(200);
  const issued = await request(app)
    .post('/api/v1/directives')
    .set(as(token.body.token))
    .set('Idempotency-Key', 'roles-1')
    .send({ number: `R/${sfx}`, kind: 'Công văn', title: 'roles', issuerCode: 'STTTT-VP', issuedAt: new Date().toISOString(), policy: { ackWithin: 'P2D' } })
    .expect(201);
  await request(app).get(`/api/v1/directives/${issued.body.id}`).set(as(ADMIN)).expect(200);
  await request(app).get('/api/v1/audit').set(as(ADMIN)).expect(200);
  await appDb.outboxMessage.create({ data: { id: `roles-${sfx}`, directiveId: issued.body.id, kind: 'test', payload: {} } });
  expect(await claimOutboxBatch(appDb, { limit: 5, leaseMs: 1000 })).toHaveLength(1);
  await temporal.client.workflow.getHandle(workflowIds.directive(issued.body.id)).terminate('roles test done').catch(() => undefined);

  const app_ = new pg.Client({ connectionString: appUrl });
  await app_.connect();
  try {
    await expect(app_.query('CREATE TABLE intruder (id int)')).rejects.toThrow(/permission denied/);
    await expect(app_.query('DROP TABLE "Unit"')).rejects.toThrow(/must be owner/);
    await expect(app_.query('ALTER TABLE "Unit" ADD COLUMN x int')).rejects.toThrow(/must be owner/);
    // The audit trail is append-only for the app: the API wrote rows, it may not change or remove them.
    expect((await app_.query('SELECT count(*)::int AS n FROM "AuditEvent"')).rows[0].n).toBeGreaterThan(0);
    await expect(app_.query(`UPDATE "AuditEvent" SET status = 200`)).rejects.toThrow(/append-only/);
    await expect(app_.query('DELETE FROM "AuditEvent"')).rejects.toThrow(/append-only/);
    await expect(app_.query('TRUNCATE "AuditEvent"')).rejects.toThrow(/permission denied|append-only/);
  } finally {
    await app_.end();
  }
});
