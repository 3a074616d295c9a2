/**
 * The cascade's activities: each plans what the workflow needs (deadlines, recipients,
 * rollups) and records the transition in the read model (read-model/transitions.ts), where
 * every write is keyed by the workflow's own event sequence so that a retry writes nothing.
 */
import type { Store } from '../read-model/repositories';
import { checkTaskUnits, forwardRecipients } from './recipients';
import { planTaskParts } from '../domain/task-plan';
import { businessRejection, classified } from './errors';
import { planDelivery, planLadder } from '../domain/deadlines';
import { digestWindow } from '../domain/digest-window';
import { keys } from '../contract/ids';
import type { CascadeActivities, DeliverInput } from '../contract/activities';
import type { LevelRules } from '../contract/definitions';
import { LRUCache } from 'lru-cache';

/** The repositories the activities read and write. */
export type ActivityStore = Pick<Store, 'units' | 'directives' | 'assignments' | 'transitions' | 'digests'>;

export interface ActivityDeps {
  store: ActivityStore;
}

export function createActivities({ store }: ActivityDeps): CascadeActivities {
  const { units, transitions: rm } = store;
  const levelRules = levelRulesCache(store.directives);
  return classified<CascadeActivities>({
    async deliver(input) {
      const unit = await units.forDelivery(input.unitCode);
      if (!unit) throw businessRejection(`unit ${input.unitCode} does not exist`);
      const rules = await levelRules(input);
      const plan = planDelivery(input, { level: unit.level, childCount: unit.children.length }, rules);
      if (input.seq) await rm.recordRedelivery({ ...input, seq: input.seq }, plan);
      else await rm.recordDelivery(input, unit, plan);
      const { isLeaf, mustConcretize, reportCycles, ackPlan } = plan;
      return { unitName: unit.name, level: unit.level, isLeaf, mustConcretize, children: unit.children, reportCycles, ackPlan };
    },

    async persistEvent(input) {
      const plan = input.next ? planLadder(input.next.plan) : undefined;
      if (input.type === 'RETRIED') await rm.clearFailure(input.assignmentId, input.seq);
      await rm.recordEvent(input, plan);
      return plan ? { plan } : {};
    },

    async recordConcretize(input) {
      if ((await units.pathOf(input.unitCode)) === null) throw businessRejection(`unit ${input.unitCode} does not exist`);
      const recipients = await forwardRecipients(units, input.unitCode, input.recipients);
      await checkTaskUnits(units, input.unitCode, input.tasks);
      const id = keys.implementingDirective(input.rootDirectiveId, input.unitCode);
      const clash = await rm.documentIdByNumber(input.unitCode, input.number);
      if (clash && clash !== id) throw businessRejection(`${input.unitCode} already issued a document numbered ${input.number}`);
      await rm.recordImplementingDocument({
        id,
        rootDirectiveId: input.rootDirectiveId,
        receivedDirectiveId: input.receivedDirectiveId,
        receivedNumber: await rm.documentNumber(input.receivedDirectiveId),
        assignmentId: input.assignmentId,
        unitCode: input.unitCode,
        seq: input.seq,
        at: input.at,
        number: input.number,
        title: input.title,
        issuedAt: input.issuedAt,
        ...(input.by ? { by: input.by } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.tasks ? { tasks: input.tasks } : {}),
        recipients,
      });
      const taskParts = planTaskParts(
        { id, issuerCode: input.unitCode, issuedAt: input.issuedAt, tasks: input.tasks ?? [], refPrefix: `${input.unitCode}~` },
        input.taskPolicy,
      );
      return { implementingDirectiveId: id, recipients, ...(taskParts.length ? { taskParts } : {}) };
    },

    async submitReport(input) {
      const plan = input.next ? planLadder(input.next.plan) : undefined;
      const onTime = !input.dueAt || Date.parse(input.at) <= Date.parse(input.dueAt);
      const rollup = await store.assignments.rollup(input.assignmentId, input.cycle);
      await rm.recordReport(input, { onTime, rollup, plan });
      return { onTime, rollup, ...(plan ? { plan } : {}) };
    },

    async unitRefs(codes) {
      const byCode = new Map((await units.refs(codes)).map((r) => [r.code, r]));
      const missing = codes.filter((c) => !byCode.has(c));
      if (missing.length) throw businessRejection(`unknown units: ${missing.slice(0, 10).join(', ')}`);
      return codes.map((c) => byCode.get(c)!);
    },

    async childrenOf(unitCode) {
      return (await units.forDelivery(unitCode))?.children ?? [];
    },

    async recordIncident(input) {
      await rm.recordIncident(input);
    },
    async enqueueDigests(input) {
      const window = digestWindow(new Date(input.at), input.dueSoonDays);
      if (!window.workingDay) return { date: window.date, workingDay: false, messages: 0 };
      const { messages } = await store.digests.enqueue(window);
      return { date: window.date, workingDay: true, messages };
    },
  });
}

/**
 * The cascade's level rules, read once per directive from its stored policy (a policy never
 * changes after issue) and kept for the deliveries that follow.
 */
function levelRulesCache(directives: ActivityStore['directives']): (input: DeliverInput) => Promise<LevelRules> {
  const cache = new LRUCache<string, LevelRules>({ max: 1000 });
  return async (input) => {
    const cached = cache.get(input.directiveId);
    if (cached) return cached;
    const stored = await directives.levelRules(input.directiveId);
    if (!stored) throw businessRejection(`directive ${input.directiveId} does not exist`);
    cache.set(input.directiveId, stored);
    return stored;
  };
}
