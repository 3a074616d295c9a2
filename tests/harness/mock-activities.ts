/**
 * In-memory stand-ins for the cascade's activities, typed against the real factory
 * (`CascadeActivities`), for workflow tests on the time-skipping server. They keep a log
 * of every persisted event and compute deadlines with the real `planLadder` and
 * `planDelivery`, so calendars (weekends, Tết) are the real ones.
 */
import type { CascadeActivities } from '../../contract/activities';
import { planDelivery, planLadder } from '../../domain/deadlines';
import { keys } from '../../contract/ids';
import { levelRulesOf, type CascadePolicy, type LevelRules } from '../../contract/definitions';
import type {
  ConcretizeActivityInput,
  DeliverInput,
  IncidentInput,
  PersistEventInput,
  ReportActivityInput,
  UnitRef,
} from '../../contract/activities';

/** What `deliver` says about a unit: its level and the units below it. */
export interface MockUnit {
  name?: string;
  level: string;
  children?: string[];
}

export type LoggedEvent =
  | ({ kind: 'deliver' } & DeliverInput)
  | ({ kind: 'persist' } & PersistEventInput)
  | ({ kind: 'concretize' } & ConcretizeActivityInput)
  | ({ kind: 'report' } & ReportActivityInput)
  | ({ kind: 'incident'; assignmentId: string } & IncidentInput);

export interface MockActivities {
  activities: CascadeActivities;
  log: LoggedEvent[];
  /** Every event of one assignment (`<directiveId>/<unitCode>`), in order, as types (DELIVERED, OVERDUE…). */
  types(assignmentId: string): string[];
  /** The persisted events (persistEvent) of one assignment, optionally of one type. */
  persisted(assignmentId: string, type?: string): PersistEventInput[];
  /** Stores a cascade's policy, as the API does before starting it: deliveries read its level rules. */
  issued(directiveId: string, policy: CascadePolicy): void;
}

export function mockActivities(units: Record<string, MockUnit>): MockActivities {
  const log: LoggedEvent[] = [];
  const issuedRules = new Map<string, LevelRules>();
  const seen = new Set<string>();
  /** Idempotent like the real ones: a retried write with the same key is not logged twice. */
  const once = (key: string, entry: LoggedEvent) => {
    if (seen.has(key)) return;
    seen.add(key);
    log.push(entry);
  };
  const unit = (code: string): MockUnit => {
    const u = units[code];
    if (!u) throw new Error(`mock: unknown unit ${code}`);
    return u;
  };
  // Every ref says leaf, so that every workflow of a test runs on the test's one queue: with
  // two workers polling it (the units' and the parents' queues), the time-skipping test
  // server left a workflow task started and never completed. The real stack checks the two
  // queues (tests/cascade-relay.e2e.test.ts).
  const ref = (code: string): UnitRef => ({ code, name: units[code]?.name ?? `Unit ${code}`, leaf: true });

  const activities: CascadeActivities = {
    async deliver(input) {
      const u = unit(input.unitCode);
      const children = (u.children ?? []).map(ref);
      // As the real activity reads the directive's stored policy: the rules registered for the
      // directive (issued); a test that starts an assignment on its own passes them in its policy.
      const rules = issuedRules.get(input.directiveId) ?? levelRulesOf(input.policy as LevelRules);
      const { isLeaf, mustConcretize, reportCycles, ackPlan } = planDelivery(input, { level: u.level, childCount: children.length }, rules);
      once(`${input.assignmentId}#0`, { kind: 'deliver', ...input });
      return { unitName: ref(input.unitCode).name, level: u.level, isLeaf, mustConcretize, children, reportCycles, ackPlan };
    },
    async persistEvent(input) {
      const plan = input.next ? planLadder(input.next.plan) : undefined;
      once(`${input.assignmentId}#${input.seq}`, { kind: 'persist', ...input });
      if (input.completes) {
        // The real write records the completion as the next event of the timeline.
        const { assignmentId, directiveId, unitCode, at } = input;
        once(`${assignmentId}#${input.seq + 1}`, { kind: 'persist', assignmentId, directiveId, unitCode, seq: input.seq + 1, at, type: 'COMPLETED' });
      }
      return plan ? { plan } : {};
    },
    async recordConcretize(input) {
      const below = unit(input.unitCode).children ?? [];
      const recipients = (input.recipients?.length ? input.recipients : below).map(ref);
      once(`${input.assignmentId}#${input.seq}`, { kind: 'concretize', ...input });
      return { implementingDirectiveId: `${input.rootDirectiveId}~${input.unitCode}`, recipients };
    },
    async submitReport(input) {
      const plan = input.next ? planLadder(input.next.plan) : undefined;
      const onTime = !input.dueAt || Date.parse(input.at) <= Date.parse(input.dueAt);
      once(`${input.assignmentId}#${input.seq}`, { kind: 'report', ...input });
      return {
        onTime,
        rollup: { cycle: input.cycle, children: 0, onTime: 0, late: 0, missing: 0, averageCompletion: null },
        ...(plan ? { plan } : {}),
      };
    },
    async unitRefs(codes) {
      return codes.map(ref);
    },
    async childrenOf(code) {
      return (unit(code).children ?? []).map(ref);
    },
    async recordIncident(input) {
      const assignmentId = keys.assignment(input.directiveId, input.unitCode);
      once(keys.incident(assignmentId, input.attempt), { kind: 'incident', assignmentId, ...input });
    },
    async enqueueDigests(input) {
      // The cascade's workflows never call it; the digest has its own test on the real stack.
      return { date: input.at.slice(0, 10), workingDay: true, messages: 0 };
    },
  };

  const typeOf = (e: LoggedEvent): string =>
    e.kind === 'deliver'
      ? 'DELIVERED'
      : e.kind === 'concretize'
        ? 'CONCRETIZED'
        : e.kind === 'report'
          ? 'REPORTED'
          : e.kind === 'incident'
            ? 'FAILED'
            : e.type;

  return {
    activities,
    log,
    issued: (directiveId, policy) => void issuedRules.set(directiveId, levelRulesOf(policy)),
    types: (assignmentId) => log.filter((e) => e.assignmentId === assignmentId).map(typeOf),
    persisted: (assignmentId, type) =>
      log.filter(
        (e): e is { kind: 'persist' } & PersistEventInput =>
          e.kind === 'persist' && e.assignmentId === assignmentId && (type === undefined || e.type === type),
      ),
  };
}
