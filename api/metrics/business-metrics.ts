/**
 * The cascades as gauges and counters for Prometheus, counted from the read model
 * (read-model/business-metrics.ts) when scraped. One count serves every scrape within
 * BUSINESS_METRICS_CACHE_MS, and concurrent scrapes share the one in flight, so several
 * Prometheus servers or a dashboard refresh cost the database nothing more. Labels are
 * bounded: stage, unit level, obligation kind, rung, notification kind; never a unit or a
 * directive.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Db } from '../../read-model/db';
import { readBusinessCounts, type BusinessCounts } from '../../read-model/business-metrics';
import { log } from '../../runtime/log';

/** Counts at most `maxAgeMs` old; one read at a time. */
function cachedCounts(db: Db, maxAgeMs: number, onRead: (seconds: number) => void): () => Promise<BusinessCounts> {
  let last: { at: number; counts: BusinessCounts } | undefined;
  let inFlight: Promise<BusinessCounts> | undefined;
  return () => {
    if (last && Date.now() - last.at < maxAgeMs) return Promise.resolve(last.counts);
    inFlight ??= (async () => {
      const started = process.hrtime.bigint();
      try {
        const counts = await readBusinessCounts(db);
        onRead(Number(process.hrtime.bigint() - started) / 1e9);
        last = { at: Date.now(), counts };
        return counts;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
}

export function businessMetrics(registry: Registry, db: Db, cacheMs: number): void {
  const readDuration = new Gauge({
    name: 'cascade_business_metrics_read_duration_seconds',
    help: 'How long the last count of the business metrics took in the read model.',
    registers: [registry],
  });
  const counts = cachedCounts(db, cacheMs, (s) => readDuration.set(s));
  /** Every metric below fills itself from the same cached counts when scraped. */
  const from = async (fill: (c: BusinessCounts) => void) => {
    try {
      fill(await counts());
    } catch (err) {
      // A scrape without the business metrics beats a failed scrape: the process metrics,
      // the request metrics and `up` still tell the operator what is wrong.
      log('warn', 'business metrics not counted', { error: String(err) });
    }
  };

  new Gauge({
    name: 'cascade_assignments_open',
    help: 'Assignments not finished (a unit still owes something), by stage and unit level.',
    labelNames: ['stage', 'level'] as const,
    registers: [registry],
    async collect() {
      await from((c) => {
        this.reset();
        for (const a of c.assignments) if (a.stage !== 'FAILED') this.inc({ stage: a.stage, level: a.level }, a.n);
      });
    },
  });
  new Gauge({
    name: 'cascade_incidents_open',
    help: 'Incidents: assignments the engine could not carry on (stage FAILED), awaiting an admin retry, by unit level.',
    labelNames: ['level'] as const,
    registers: [registry],
    async collect() {
      await from((c) => {
        this.reset();
        for (const a of c.assignments) if (a.stage === 'FAILED') this.inc({ level: a.level }, a.n);
      });
    },
  });
  new Gauge({
    name: 'cascade_obligations_overdue',
    help: 'Obligations past their deadline and not done (acknowledge, concretize, report, task part), by kind and unit level.',
    labelNames: ['kind', 'level'] as const,
    registers: [registry],
    async collect() {
      await from((c) => {
        this.reset();
        for (const o of c.overdue) this.inc({ kind: o.kind, level: o.level }, o.n);
      });
    },
  });
  new Gauge({
    name: 'cascade_escalations_open',
    help: 'Escalation rungs fired and not resolved yet, by rung (1 = the first step of the ladder).',
    labelNames: ['rung'] as const,
    registers: [registry],
    async collect() {
      await from((c) => {
        this.reset();
        for (const e of c.escalations) this.set({ rung: String(e.rung) }, e.n);
      });
    },
  });
  new Gauge({
    name: 'cascade_outbox_messages_pending',
    help: 'Notifications in the outbox not delivered yet, by kind.',
    labelNames: ['kind'] as const,
    registers: [registry],
    async collect() {
      await from((c) => {
        this.reset();
        for (const o of c.outboxPending) this.inc({ kind: o.kind }, o.n);
      });
    },
  });
  new Gauge({
    name: 'cascade_outbox_messages_failing',
    help: 'Pending notifications whose last delivery attempt failed; they are retried with back-off.',
    registers: [registry],
    async collect() {
      await from((c) => this.set(c.outboxFailing));
    },
  });
  new Gauge({
    name: 'cascade_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest notification not delivered yet (0 when none is pending).',
    registers: [registry],
    async collect() {
      await from((c) => this.set(c.outboxOldestAgeSeconds));
    },
  });
  new Gauge({
    name: 'cascade_email_deliveries_due',
    help: 'E-mails to people whose office hours have come and that are not sent yet.',
    registers: [registry],
    async collect() {
      await from((c) => this.set(c.emailDue));
    },
  });
  new Gauge({
    name: 'cascade_email_deliveries_failed',
    help: 'E-mails refused for good by the SMTP server (5xx, a bad address): people not told.',
    registers: [registry],
    async collect() {
      await from((c) => this.set(c.emailFailed));
    },
  });
  new Gauge({
    name: 'cascade_email_oldest_due_age_seconds',
    help: 'How long the oldest e-mail due in office hours has waited (0 when none is due).',
    registers: [registry],
    async collect() {
      await from((c) => this.set(c.emailOldestDueAgeSeconds));
    },
  });
  new Counter({
    name: 'cascade_cascades_issued_total',
    help: 'Cascades issued (root directives).',
    registers: [registry],
    async collect() {
      await from((c) => {
        this.reset();
        this.inc(c.cascadesIssued);
      });
    },
  });
  new Counter({
    name: 'cascade_cascades_closed_total',
    help: 'Cascades closed: revoked, or every assignment of them completed.',
    registers: [registry],
    async collect() {
      await from((c) => {
        this.reset();
        this.inc(c.cascadesClosed);
      });
    },
  });
}
