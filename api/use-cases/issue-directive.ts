/**
 * Issue a directive (POST /directives): the caller must be the issuer or the admin; the
 * policy's durations, the recipients, the plan and the tasks are checked before anything
 * is written; the issuer's quotas are counted and the directive recorded under the issuer's
 * lock; then its cascade starts. The workflow id is the directive id, so issuing twice (a
 * retried request) starts nothing new.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { planDirective } from '../../domain/directive-plan';
import { type CascadePolicy, type ReportCycle, type TaskInput } from '../../contract/definitions';
import type { DirectiveWorkflowInput } from '../../contract/workflow-inputs';
import type { IssueDirectiveInput } from '../schemas';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { actorOf } from '../actor';
import { requireIssuer } from '../permissions';
import { planTaskParts } from '../../domain/task-plan';
import type { TaskPartPlan } from '../../contract/tasks';
import type { directiveWorkflow } from '../../workflows/directive-workflow';
import type { DirectiveRow } from '../../read-model/directives';
import type { QuotaCounts } from '../../read-model/issuing';
import type { Store } from '../../read-model/repositories';
import { workflowIds } from '../../contract/ids';
import { WORKFLOW_TASK_TIMEOUT } from '../../contract/timeouts';
import { plainMarkdown } from '../../domain/plain-markdown';

/** What an issuer may ask of the engine (api/use-cases/issue-limits.ts, bound to the configuration). */
export interface IssueLimits {
  /** 400 INVALID_POLICY when a duration of the policy is below the configured minimum. */
  refuseShortDurations(policy: IssueDirectiveInput['policy']): void;
  /** 400 INVALID_TASKS when a task is due too soon, recurs too often, or the tasks have too many parts. */
  refuseCostlyTasks(tasks: TaskInput[]): void;
  /** 409 or 403 when the caller is past a quota, given the directive's recipients and task parts. */
  refuseBeyondQuotas(counts: QuotaCounts, p: Principal, issuerCode: string, recipients: string[], taskParts: number): Promise<void>;
  /** 403 when a unit token's implementing document would start more task parts than its reach. */
  refusePlanBeyondReach(p: Principal, tasks: TaskInput[]): void;
}

export interface IssueDeps {
  store: Pick<Store, 'units' | 'directives'>;
  client: Client;
  taskQueue: string;
  maxFanout: number;
  /** The largest wave of children one workflow starts at once (CASCADE_START_WAVE). */
  startWave: number;
  /** The issuer's limits; a trusted caller (a test, a benchmark) may go without. */
  limits?: IssueLimits;
}

/** What the issue answers: `created` false when the directive already existed (a repeat). */
export interface IssueResult {
  id: string;
  number: string;
  status: string;
  created: boolean;
}

function toCascadePolicy(policy: IssueDirectiveInput['policy']): CascadePolicy {
  return {
    ackWithin: policy.ackWithin,
    ...(policy.concretizeWithin ? { concretizeWithin: policy.concretizeWithin } : {}),
    ...(policy.levelLeadTime ? { levelLeadTime: policy.levelLeadTime } : {}),
    escalation: policy.escalation,
    calendar: policy.calendar,
    // Written out even when defaulted: a workflow whose policy lacks `relay` was issued
    // before it existed and keeps relaying on delivery.
    ...(policy.concretizeLevels ? { concretizeLevels: policy.concretizeLevels } : {}),
    ...(policy.relayLevels ? { relayLevels: policy.relayLevels } : {}),
    ...(policy.relay ? { relay: policy.relay } : {}),
    ...(policy.coordinatorLeadTime ? { coordinatorLeadTime: policy.coordinatorLeadTime } : {}),
  };
}

export async function issueDirective(deps: IssueDeps, p: Principal, input: IssueDirectiveInput): Promise<IssueResult> {
  requireIssuer(p, input.issuerCode);
  deps.limits?.refuseShortDurations(input.policy);
  deps.limits?.refuseCostlyTasks(input.tasks);
  const { store } = deps;
  if ((await store.units.pathOf(input.issuerCode)) === null) {
    throw new ApiError(404, 'NOT_FOUND', `unit ${input.issuerCode} does not exist`);
  }
  const existing = await store.directives.byNumber(input.issuerCode, input.number);
  if (existing) return repeated(deps, input, existing);

  const recipients = await issueRecipients(store, input.issuerCode, input.recipients);
  const cycles = await planOrRefuse(store, input);
  await checkTaskUnits(store, input);
  const id = crypto.randomUUID();
  const taskParts = planTaskPartsOrRefuse(id, input);
  const created = await store.directives.createRootExclusive(
    {
      id,
      number: input.number,
      kind: input.kind,
      title: input.title,
      issuerCode: input.issuerCode,
      issuedAt: new Date(input.issuedAt),
      body: input.body ?? null,
      basedOn: input.basedOn,
      recipients,
      policy: { ...input.policy, cycles },
      tasks: input.tasks,
      issuedBy: actorOf(p, 'issue'),
    },
    async (counts) => deps.limits?.refuseBeyondQuotas(counts, p, input.issuerCode, recipients, taskParts.length),
  );
  if (!created) {
    // A request with the same number got there first: this one answers as its repeat.
    const winner = await store.directives.byNumber(input.issuerCode, input.number);
    if (winner) return repeated(deps, input, winner);
    throw new Error(`${input.issuerCode} ${input.number}: recorded by another request, then not found`);
  }
  await startCascade(
    deps,
    {
      directiveId: id,
      number: input.number,
      issuerCode: input.issuerCode,
      recipients,
      policy: toCascadePolicy(input.policy),
      cycles,
      version: 1,
      maxFanout: deps.maxFanout,
      startWave: deps.startWave,
      ...(taskParts.length ? { taskParts } : {}),
    },
    input.title,
  );
  return { id, number: input.number, status: 'ACTIVE', created: true };
}

/**
 * The directive the issuer already recorded under this number: 409 when it is an
 * implementing document; else the repeat's answer, after starting the cascade again in
 * case a crash came between the insert and the start (a second start is a no-op).
 */
async function repeated(
  deps: IssueDeps,
  input: IssueDirectiveInput,
  existing: DirectiveRow,
): Promise<IssueResult> {
  if (existing.rootId !== existing.id) {
    throw new ApiError(409, 'CONFLICT', `${input.issuerCode} already issued ${input.number} as an implementing document`);
  }
  if (existing.status === 'ACTIVE') {
    const stored = existing.policy as (IssueDirectiveInput['policy'] & { cycles: ReportCycle[] }) | null;
    if (stored) {
      await startCascade(
        deps,
        {
          directiveId: existing.id,
          number: existing.number,
          issuerCode: existing.issuerCode,
          recipients: existing.recipients,
          policy: toCascadePolicy(stored),
          cycles: stored.cycles ?? [],
          version: 1,
          maxFanout: deps.maxFanout,
          startWave: deps.startWave,
        },
        existing.title,
      );
    }
  }
  return { id: existing.id, number: existing.number, status: existing.status, created: false };
}

/**
 * Plans the whole cascade before anything is written (domain/directive-plan.ts): every
 * deadline, ladder and per-level report due date that deliveries will compute. A policy
 * that cannot be planned is a 400 INVALID_POLICY naming each field, in the shape of the
 * validation errors' details (`path`, `message`), so no accepted directive can stall a unit.
 */
async function planOrRefuse(store: Pick<Store, 'units'>, input: IssueDirectiveInput): Promise<ReportCycle[]> {
  const depth = (await store.units.levelsBelow(input.issuerCode)) ?? 1;
  const plan = planDirective({
    issuedAt: input.issuedAt,
    now: new Date().toISOString(),
    policy: input.policy,
    levelsBelow: Math.max(1, depth),
  });
  if (plan.ok) return plan.cycles;
  throw new ApiError(
    400,
    'INVALID_POLICY',
    plan.problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    plan.problems.map((p) => ({ code: 'unplannable', path: p.field.split('.').map(pathPart), message: p.message })),
  );
}

const pathPart = (part: string): string | number => (/^\d+$/.test(part) ? Number(part) : part);

/** A task's lead and coordinating units must be the issuer or units below it: 400 naming the field. */
async function checkTaskUnits(store: Pick<Store, 'units'>, input: IssueDirectiveInput): Promise<void> {
  const problems: Array<{ code: string; path: (string | number)[]; message: string }> = [];
  for (const [i, task] of input.tasks.entries()) {
    const named: Array<[(string | number)[], string]> = [
      ...(task.leadUnitCode ? [[['tasks', i, 'leadUnitCode'], task.leadUnitCode] as [(string | number)[], string]] : []),
      ...(task.coordinatingUnits ?? []).map((c, j) => [['tasks', i, 'coordinatingUnits', j], c] as [(string | number)[], string]),
    ];
    const outside = new Set(await store.units.outside(input.issuerCode, named.map(([, c]) => c)));
    for (const [path, c] of named) {
      if (outside.has(c)) problems.push({ code: 'outside_issuer', path, message: `${c} is not ${input.issuerCode} or a unit below it` });
    }
  }
  if (problems.length) {
    throw new ApiError(400, 'INVALID_TASKS', problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; '), problems);
  }
}

/** The lead and coordinating units' parts in the directive's tasks, dated on the policy's calendar. */
function planTaskPartsOrRefuse(id: string, input: IssueDirectiveInput): TaskPartPlan[] {
  try {
    return planTaskParts(
      { id, issuerCode: input.issuerCode, issuedAt: input.issuedAt, tasks: input.tasks, refPrefix: '' },
      {
        calendar: input.policy.calendar,
        ...(input.policy.coordinatorLeadTime ? { coordinatorLeadTime: input.policy.coordinatorLeadTime } : {}),
        ...(input.policy.until ? { until: input.policy.until } : {}),
      },
    );
  } catch (err) {
    throw new ApiError(400, 'INVALID_TASKS', `the tasks' due dates cannot be planned: ${(err as Error).message}`);
  }
}

/** Starts the cascade's root workflow; a second start of the same directive is a no-op. */
async function startCascade(deps: IssueDeps, input: DirectiveWorkflowInput, title: string): Promise<void> {
  try {
    await deps.client.workflow.start<typeof directiveWorkflow>('directiveWorkflow', {
      workflowId: workflowIds.directive(input.directiveId),
      taskQueue: deps.taskQueue,
      args: [input],
      // Closed runs keep the id: a late retry of the issue request never starts a second cascade.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
      // The Temporal UI renders these as Markdown: the unit's words are shown as plain text.
      staticSummary: plainMarkdown(`${input.number} — ${title.slice(0, 120)}`),
      staticDetails: plainMarkdown(`Issued by ${input.issuerCode} to ${input.recipients.length} units`),
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** The recipients' codes, or a 400 naming what is wrong with the ones requested. */
async function issueRecipients(store: Pick<Store, 'units'>, issuerCode: string, codes?: string[]): Promise<string[]> {
  const resolved = await store.units.recipients(issuerCode, codes);
  if ('noChildren' in resolved) throw new ApiError(400, 'NO_RECIPIENTS', `${issuerCode} has no units below it`);
  if ('outside' in resolved) {
    throw new ApiError(400, 'INVALID_RECIPIENTS', 'recipients must be units below the issuer', {
      outside: resolved.outside.slice(0, 50),
    });
  }
  return resolved.map((r) => r.code);
}
