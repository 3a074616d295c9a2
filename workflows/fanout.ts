/**
 * Forwarding to many units while staying inside the server's per-execution limits
 * (2,000 pending children, 2,000 outgoing signals): a workflow starts at most `maxFanout`
 * children itself; beyond that it starts relay workflows that each take a slice.
 */
import {
  type ChildWorkflowHandle,
  type Workflow,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { UnitRef } from '../contract/activities';
import type { AssignmentWorkflowInput, ChildTemplate, RelayWorkflowInput } from '../contract/workflow-inputs';
// Types only, for type-checked starts: the workflows are started by name.
import type { assignmentWorkflow } from './assignment-workflow';
import type { relayWorkflow } from './relay-workflow';
import type { taskPartWorkflow } from './task-part-workflow';
import type { TaskPartPlan } from '../contract/tasks';
import { workflowIds } from '../contract/ids';
import { WORKFLOW_TASK_TIMEOUT } from '../contract/timeouts';
import { taskQueuesOf } from '../contract/task-queues';
import { FIRST_WAVE, nextWaveSize } from './start-pace';

/** Splits `items` into at most `parts` slices of near-equal size, order kept. */
export function slices<T>(items: T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Starts one child per recipient (or relays for large lists) and returns the workflow ids
 * of the children it started. A recipient that already has an assignment in this cascade
 * (reached twice) is skipped: its deterministic id makes the second start a no-op.
 */
export async function fanOut(opts: {
  template: ChildTemplate;
  fromUnitCode: string;
  recipients: UnitRef[];
  selfWorkflowId: string;
  batchPrefix?: string;
  /** Told of every child started, with its result, so the parent can notice a lost child. */
  onStarted?: (workflowId: string, result: Promise<unknown>) => void;
  /** Awaited between two waves of starts: the parent lets its own actions in (Lock.runInSteps). */
  betweenWaves?: () => Promise<void>;
  /** Told of every wave of assignment starts: its size and how long, in workflow time, it took. */
  onWave?: (size: number, tookMs: number) => void;
}): Promise<string[]> {
  const startOnce = async (workflowId: string, start: () => Promise<ChildWorkflowHandle<Workflow>>): Promise<string | null> => {
    try {
      const handle = await start();
      opts.onStarted?.(workflowId, handle.result());
      return workflowId;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) return null;
      throw err;
    }
  };
  const { template, recipients } = opts;
  const max = template.maxFanout;
  const queues = taskQueuesOf(workflowInfo().taskQueue);
  /** A unit with units below it runs on the parents' queue, a leaf on the units' queue. */
  const queueOf = (unit: UnitRef) => (unit.leaf ? queues.units : queues.parents);
  if (recipients.length > max) {
    const parts = slices(recipients, Math.min(max, Math.ceil(recipients.length / max)));
    const started = await Promise.all(
      parts.map(async (part, i) => {
        const batch = `${opts.batchPrefix ?? ''}${i}`;
        const input: RelayWorkflowInput = {
          template,
          fromUnitCode: opts.fromUnitCode,
          batch,
          recipients: part,
          temporalParentId: opts.selfWorkflowId,
        };
        const workflowId = workflowIds.relay(template.directiveId, opts.fromUnitCode, batch);
        return startOnce(workflowId, () =>
          startChild<typeof relayWorkflow>('relayWorkflow', {
            workflowId,
            args: [input],
            parentClosePolicy: ParentClosePolicy.ABANDON,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
            // A relay is a parent: on the parents' queue.
            taskQueue: queues.parents,
            staticSummary: `${template.documentNumber} → relay ${batch} of ${opts.fromUnitCode} (${part.length} units)`,
          }),
        );
      }),
    );
    return started.filter((id): id is string => id !== null);
  }
  // Children start one wave at a time. Each start records an event on this (the parent's)
  // execution under its lock; dozens of concurrent starts against one parent make the
  // server's start-child tasks fail on the busy lock and back off, while one at a time costs
  // the parent a workflow task per child (docs/performance.md). Each wave's size follows how
  // fast the last was started (start-pace.ts), up to the issuer's CASCADE_START_WAVE, so
  // that many cascades at once do not flood the server.
  const maxWave = Math.max(1, template.startWave ?? 1);
  let wave = Math.min(FIRST_WAVE, maxWave);
  const started: Array<string | null> = [];
  for (let i = 0; i < recipients.length; ) {
    if (i > 0 && opts.betweenWaves) await opts.betweenWaves();
    const next = recipients.slice(i, i + wave);
    const issuedAt = Date.now(); // workflow time: replays the same
    started.push(...(await startWave(next)));
    i += next.length;
    const tookMs = Date.now() - issuedAt;
    opts.onWave?.(next.length, tookMs);
    wave = nextWaveSize(wave, maxWave, tookMs);
  }
  return started.filter((id): id is string => id !== null);

  function startWave(wave: UnitRef[]): Promise<Array<string | null>> {
    return Promise.all(
      wave.map((unit) => {
        const workflowId = workflowIds.assignment(template.directiveId, unit.code);
        const input: AssignmentWorkflowInput = {
          ...template,
          unitCode: unit.code,
          temporalParentId: opts.selfWorkflowId,
        };
        return startOnce(workflowId, () =>
          startChild<typeof assignmentWorkflow>('assignmentWorkflow', {
            workflowId,
            args: [input],
            // Children outlive a parent that continues-as-new or completes early; revocation
            // reaches them by signal, not by the close policy.
            parentClosePolicy: ParentClosePolicy.ABANDON,
            workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
            taskQueue: queueOf(unit),
            staticSummary: `${template.documentNumber} → ${unit.name}`,
            staticDetails: `Directive ${template.directiveNumber}; unit ${unit.code}; forwarded by ${opts.fromUnitCode}`,
          }),
        );
      }),
    );
  }
}

/** What every task part started by one workflow shares. */
export interface TaskPartTemplate {
  directiveId: string;
  directiveNumber: string;
  issuerCode: string;
  escalation: AssignmentWorkflowInput['policy']['escalation'];
  calendar: AssignmentWorkflowInput['policy']['calendar'];
}

/**
 * Starts one workflow per unit's part in a task (lead or coordinator), as children of the
 * workflow that issued the task's document, so revocation reaches them and it waits for
 * them. A part already started (a retried start) is skipped.
 */
export async function startTaskParts(opts: {
  template: TaskPartTemplate;
  parts: TaskPartPlan[];
  selfWorkflowId: string;
  onStarted?: (workflowId: string, result: Promise<unknown>) => void;
}): Promise<string[]> {
  const started: string[] = [];
  for (const part of opts.parts) {
    const workflowId = workflowIds.taskPart(opts.template.directiveId, part.taskRef, part.unitCode);
    try {
      const handle = await startChild<typeof taskPartWorkflow>('taskPartWorkflow', {
        workflowId,
        args: [{ ...opts.template, ...part, temporalParentId: opts.selfWorkflowId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowTaskTimeout: WORKFLOW_TASK_TIMEOUT,
        staticSummary: `${opts.template.directiveNumber} → task ${part.taskRef} (${part.role}): ${part.unitCode}`,
        staticDetails: `${part.title}\n\nLead ${part.leadUnitCode}; assigned by ${part.assignerUnitCode}`,
      });
      opts.onStarted?.(workflowId, handle.result());
      started.push(workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return started;
}
