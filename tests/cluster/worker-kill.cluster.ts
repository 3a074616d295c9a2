/**
 * The cascade end to end over HTTP on the production topology (Temporal server 1.29.1 on
 * PostgreSQL with 4 history shards, two worker processes, the API as its own process):
 * one of the two workers is killed with SIGKILL while the directive is being delivered,
 * and the other must finish the cascade with nothing lost or written twice.
 */
import pg from 'pg';
import { workflowIds } from '../../contract/ids';
import {
  DEFAULT_TEMPORAL_DATABASES,
  postgresServerOf,
  prepareTemporalDatabases,
} from '../../stack/cluster';
import { sleep, waitFor } from '../../stack/wait';
import { ADMIN_TOKEN, startTopology, type Topology } from './topology';

jest.setTimeout(20 * 60_000);

/** central → 5 provinces → 5 districts each → 11 communes each: 305 assignments. */
function clusterTree() {
  const units = [
    {
      code: 'CL',
      name: 'Trung ương (cluster test)',
      level: 'central',
      parentCode: null as string | null,
    },
  ];
  for (let p = 1; p <= 5; p++) {
    const province = `CL-P${p}`;
    units.push({ code: province, name: `Tỉnh ${p}`, level: 'province', parentCode: 'CL' });
    for (let d = 1; d <= 5; d++) {
      const district = `${province}-D${d}`;
      units.push({
        code: district,
        name: `Huyện ${p}.${d}`,
        level: 'district',
        parentCode: province,
      });
      for (let c = 1; c <= 11; c++) {
        const code = `${district}-C${String(c).padStart(2, '0')}`;
        units.push({ code, name: `Xã ${p}.${d}.${c}`, level: 'commune', parentCode: district });
      }
    }
  }
  return units;
}

const tree = clusterTree();
const below = tree.filter((u) => u.parentCode !== null).map((u) => u.code);

let topo: Topology;

interface Reply {
  status: number;
  body: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

/** One API call as the admin; 429, 503 and "still being delivered" are retried, as a client would. */
async function api(method: string, path: string, body?: unknown): Promise<Reply> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${topo.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const reply: Reply = {
      status: res.status,
      body: (await res.json().catch(() => ({}))) as Reply['body'],
    };
    const transient =
      res.status === 429 ||
      res.status === 503 ||
      (res.status === 409 && /still being delivered/.test(reply.body.error?.message ?? ''));
    if (!transient || attempt >= 60) return reply;
    await sleep(Math.min(5_000, 250 * attempt));
  }
}

interface Progress {
  total: number;
  failed: number;
  byStage: Record<string, number>;
}

const progress = async (id: string): Promise<Progress> =>
  (await api('GET', `/api/v1/directives/${id}`)).body.progress as Progress;

beforeAll(async () => {
  topo = await startTopology('worker-kill');
}, 15 * 60_000);

afterAll(async () => {
  await topo?.close();
});

describe('the production topology (Temporal server on PostgreSQL, 4 shards, two workers)', () => {
  let directiveId = '';
  let killedAt = 0;
  let deliveredAtKill = 0;

  test('when the schema tool runs again on the running cluster then both schemas are already up to date', async () => {
    const lines: string[] = [];
    await prepareTemporalDatabases(
      topo.binaries.sqlTool,
      postgresServerOf(topo.databaseUrl),
      DEFAULT_TEMPORAL_DATABASES,
      (l) => lines.push(l.trim()),
    );
    expect(lines).toEqual([
      expect.stringMatching(/^schema of temporal: \d+\.\d+ \(up to date\)$/),
      expect.stringMatching(/^schema of temporal_visibility: \d+\.\d+ \(up to date\)$/),
    ]);
  });

  test('when the tree is loaded and a directive issued over HTTP and worker-1 is killed mid-delivery then every unit is still delivered', async () => {
    const put = await api('PUT', '/api/v1/units', { units: tree });
    expect(put.status).toBe(200);
    const issued = await api('POST', '/api/v1/directives', {
      number: `CLUSTER-${Date.now().toString(36)}`,
      kind: 'Công văn',
      title: 'Cluster test: cascade over two workers',
      issuerCode: 'CL',
      issuedAt: new Date().toISOString(),
      policy: { ackWithin: 'P7D', concretizeLevels: [], relay: 'on_delivery', escalation: [] },
    });
    expect(issued.status).toBe(201);
    directiveId = issued.body.id as string;

    // Kill as soon as a tenth is delivered: the cascade is then surely in flight.
    const early = await waitFor(
      () => progress(directiveId),
      (p) => p.total >= below.length / 10,
      'a tenth delivered',
      5 * 60_000,
      500,
    );
    const victim = topo.workers[0]!;
    victim.child.kill('SIGKILL');
    killedAt = Date.now();
    deliveredAtKill = early.total;
    expect(await victim.exited).toBeNull(); // killed by the signal, not exited on its own
    process.stderr.write(
      `[cluster-test] worker-1 killed at ${deliveredAtKill}/${below.length} delivered\n`,
    );

    const done = await waitFor(
      () => progress(directiveId),
      (p) => p.total >= below.length,
      'every unit delivered',
      10 * 60_000,
      500,
    );
    expect(done.total).toBe(below.length);
    expect(done.failed).toBe(0);
    expect(topo.workers[1]!.child.exitCode).toBeNull();
  });

  test('when every unit acknowledges over HTTP with one worker left then the whole cascade completes', async () => {
    let next = 0;
    const failures: string[] = [];
    const client = async () => {
      for (let i = next++; i < below.length; i = next++) {
        const code = below[i]!;
        const res = await api(
          'POST',
          `/api/v1/directives/${directiveId}/units/${code}/acknowledge`,
          { note: 'đã nhận' },
        );
        if (res.status !== 200) failures.push(`${code}: ${res.status} ${JSON.stringify(res.body)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, client));
    expect(failures).toEqual([]);

    const closed = await waitFor(
      () => progress(directiveId),
      (p) => p.byStage.COMPLETED === below.length,
      'every assignment COMPLETED',
      10 * 60_000,
      500,
    );
    expect(closed).toMatchObject({
      total: below.length,
      failed: 0,
      byStage: { COMPLETED: below.length },
    });
    const root = topo.client.workflow.getHandle(workflowIds.directive(directiveId));
    await root.result();
    expect((await root.describe()).status.name).toBe('COMPLETED');
  });

  test('when the read model is checked then no assignment or event is missing or written twice', async () => {
    const db = new pg.Client({ connectionString: topo.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query<{ unitCode: string; stage: string; ackVersion: number }>(
        `SELECT "unitCode", stage, "ackVersion" FROM "Assignment" WHERE "directiveId" = $1`,
        [directiveId],
      );
      expect(rows.rows.map((r) => r.unitCode).sort()).toEqual([...below].sort());
      expect(rows.rows.filter((r) => r.stage !== 'COMPLETED' || r.ackVersion !== 1)).toEqual([]);

      const events = await db.query<{ unitCode: string; type: string; n: string }>(
        `SELECT "unitCode", type, count(*) AS n FROM "TimelineEvent" WHERE "directiveId" = $1 GROUP BY 1, 2`,
        [directiveId],
      );
      const count = (type: string) =>
        new Map(events.rows.filter((e) => e.type === type).map((e) => [e.unitCode, Number(e.n)]));
      for (const type of ['DELIVERED', 'ACKNOWLEDGED']) {
        const byUnit = count(type);
        const wrong = below.filter((code) => byUnit.get(code) !== 1);
        expect({ type, wrong }).toEqual({ type, wrong: [] });
      }
    } finally {
      await db.end();
    }
  });

  test('when the workflow histories are read then worker-1 did part of the work and only worker-2 worked after the kill', async () => {
    const [killed, survivor] = topo.workers.map((w) => w.identity) as [string, string];
    const byIdentity = new Map<string, number>();
    const afterKill = new Set<string>();
    const grace = 2_000; // tasks that were completing as the signal landed
    for (const code of below) {
      const history = await topo.client.workflow
        .getHandle(workflowIds.assignment(directiveId, code))
        .fetchHistory();
      expect(history.events?.at(-1)?.workflowExecutionCompletedEventAttributes).toBeTruthy();
      for (const e of history.events ?? []) {
        const identity =
          e.workflowTaskCompletedEventAttributes?.identity ??
          e.activityTaskStartedEventAttributes?.identity;
        if (!identity) continue;
        byIdentity.set(identity, (byIdentity.get(identity) ?? 0) + 1);
        const at =
          Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6);
        if (at > killedAt + grace) afterKill.add(identity);
      }
    }
    expect(byIdentity.get(killed) ?? 0).toBeGreaterThan(0);
    expect(byIdentity.get(survivor) ?? 0).toBeGreaterThan(0);
    expect([...afterKill]).toEqual([survivor]);
  });

  test('when the Temporal UI server is asked for the cascade then it lists the workflows from the cluster by search attribute', async () => {
    const query = encodeURIComponent(`DirectiveId = "${directiveId}" AND UnitLevel = "province"`);
    const res = await waitFor(
      async () => {
        const r = await fetch(`${topo.uiUrl}/api/v1/namespaces/default/workflows?query=${query}`);
        return (await r.json()) as { executions?: { execution: { workflowId: string } }[] };
      },
      (body) => (body.executions ?? []).length === 5,
      'the UI listing the provinces',
      60_000,
      500,
    );
    expect(res.executions!.map((e) => e.execution.workflowId).sort()).toEqual(
      [1, 2, 3, 4, 5].map((p) => workflowIds.assignment(directiveId, `CL-P${p}`)),
    );
  });
});
