/**
 * deploy/: the Prometheus configuration and alert rules pass Prometheus's own checks
 * (`promtool check config`, `check rules`), each alert fires on the situation it names and
 * only after its `for` (`promtool test rules`), and the Grafana dashboards are well-formed
 * and read the provisioned data source. That the metrics they query exist is checked on
 * real scrapes in tests/metrics.e2e.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ensurePromtool, runPromtool } from '../stack/promtool';
import { metricNamesIn } from './observability/promql';

const deploy = path.resolve(__dirname, '..', 'deploy');
const at = (...p: string[]) => path.join(deploy, ...p);
let promtool = '';

beforeAll(async () => {
  promtool = await ensurePromtool();
}, 30 * 60_000);

interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr: string }>;
  gridPos: { x: number; y: number; w: number; h: number };
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
}
const dashboards = ['cascades', 'engine'].map((name) => JSON.parse(fs.readFileSync(at('grafana', 'dashboards', `${name}.json`), 'utf8')) as Dashboard);

describe('Prometheus configuration and alert rules', () => {
  test('when promtool checks the configuration then it and the rule file it loads are valid', () => {
    const run = runPromtool(promtool, ['check', 'config', at('prometheus', 'prometheus.yml')]);
    expect(run.output).toMatch(/SUCCESS: 8 rules found/);
    expect(run.status).toBe(0);
  });

  test('when promtool checks the rules with its linter then there is no finding', () => {
    const run = runPromtool(promtool, ['check', 'rules', '--lint=all', '--lint-fatal', at('prometheus', 'alerts.yml')]);
    expect(run.output).toMatch(/SUCCESS/);
    expect(run.status).toBe(0);
  });

  test('when the rules are unit-tested then each alert fires on its situation and only after its wait', () => {
    const run = runPromtool(promtool, ['test', 'rules', at('prometheus', 'alerts.test.yml')]);
    expect(run.output).toMatch(/SUCCESS/);
    expect(run.status).toBe(0);
  });

  test('when the rules are listed then the five situations operators asked for each have an alert', () => {
    const rules = YAML.parse(fs.readFileSync(at('prometheus', 'alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const byName = Object.fromEntries(rules.groups.flatMap((g) => g.rules).map((r) => [r.alert, r.expr]));
    expect(byName.CascadeWorkerDown).toMatch(/up\{job="cascade-worker"\} == 0/);
    expect(byName.CascadeIncidentsOpen).toMatch(/cascade_incidents_open/);
    expect(byName.CascadeOutboxStuck).toMatch(/^cascade_outbox_oldest_pending_age_seconds > 600 and on\(\) cascade_outbox_messages_failing > 0$/);
    expect(byName.CascadeEmailStuck).toBe('cascade_email_oldest_due_age_seconds > 600');
    expect(byName.CascadeOverdueRising).toMatch(/cascade_obligations_overdue/);
    expect(byName.CascadeApiErrors).toMatch(/status=~"5\.\."/);
  });
});

describe('Grafana dashboards', () => {
  test('when the dashboards are read then each has its own uid, and every query panel reads the provisioned Prometheus', () => {
    const source = YAML.parse(fs.readFileSync(at('grafana', 'provisioning', 'datasources', 'prometheus.yml'), 'utf8')) as { datasources: Array<{ uid: string }> };
    const uid = source.datasources[0]!.uid;
    expect(dashboards.map((d) => d.uid)).toEqual(['cascade-cascades', 'cascade-engine']);
    for (const d of dashboards) {
      const queries = d.panels.filter((p) => p.type !== 'row');
      expect(queries.length).toBeGreaterThan(8);
      for (const p of queries) {
        expect({ panel: p.title, uid: p.datasource?.uid, targets: (p.targets ?? []).length > 0 }).toEqual({ panel: p.title, uid, targets: true });
      }
    }
  });

  test('when the panels are laid out then none overlaps another on the 24-column grid', () => {
    for (const d of dashboards) {
      const cells = new Map<string, string>();
      for (const p of d.panels) {
        const { x, y, w, h } = p.gridPos;
        expect(x + w).toBeLessThanOrEqual(24);
        for (let i = x; i < x + w; i++)
          for (let j = y; j < y + h; j++) {
            const key = `${i},${j}`;
            expect({ cell: key, taken: cells.get(key) }).toEqual({ cell: key, taken: undefined });
            cells.set(key, p.title);
          }
      }
    }
  });

  test('when the cascades dashboard is read then it shows every business metric, and the engine one the API, workers, Temporal server and outbox', () => {
    const names = (d: Dashboard) => new Set(d.panels.flatMap((p) => (p.targets ?? []).flatMap((t) => metricNamesIn(t.expr))));
    const cascades = names(dashboards[0]!);
    for (const m of ['cascade_assignments_open', 'cascade_obligations_overdue', 'cascade_escalations_open', 'cascade_incidents_open', 'cascade_outbox_messages_pending', 'cascade_outbox_oldest_pending_age_seconds', 'cascade_outbox_messages_failing', 'cascade_cascades_issued_total', 'cascade_cascades_closed_total']) {
      expect({ metric: m, shown: cascades.has(m) }).toEqual({ metric: m, shown: true });
    }
    const engine = names(dashboards[1]!);
    for (const m of ['up', 'http_server_request_duration_seconds_bucket', 'cascade_api_rate_limited_requests_total', 'cascade_api_unauthenticated_requests_total', 'temporal_workflow_task_schedule_to_start_latency_bucket', 'temporal_worker_task_slots_available', 'service_requests', 'cascade_outbox_oldest_pending_age_seconds']) {
      expect({ metric: m, shown: engine.has(m) }).toEqual({ metric: m, shown: true });
    }
  });
});
