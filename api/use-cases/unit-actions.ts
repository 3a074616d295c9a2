/**
 * Unit actions: each is an Update on the unit's assignment workflow, so the caller learns
 * at once whether it was accepted. The read model is checked first (404s); a rejected
 * Update is a 409 with the workflow's reason — unless the assignment shows the very same
 * action already done, in which case the repeat is answered 200 with the current view.
 */
import crypto from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import {
  acknowledgeUpdate,
  concretizeUpdate,
  decideExtensionUpdate,
  reportUpdate,
  requestExtensionUpdate,
  stateQuery,
  type AssignmentView,
} from '../../contract/definitions';
import { ApiError } from '../errors';
import type { Principal } from '../auth';
import { actorFor } from '../permissions';
import { actorOf } from '../actor';
import type { AssignmentRow } from '../../read-model/assignments';
import type { Store } from '../../read-model/repositories';
import type { z } from 'zod';
import type {
  acknowledgeSchema,
  concretizeSchema,
  extensionDecisionSchema,
  extensionRequestSchema,
  reportSchema,
} from '../schemas';
import { workflowIds } from '../../contract/ids';
import { executeUnitUpdate } from './execute-update';
import type { IssueLimits } from './issue-directive';
import { RETRY_AFTER_S } from '../retry-after';

export interface ActionDeps {
  store: Pick<Store, 'assignments' | 'directives'>;
  client: Client;
  /** How long an action waits for the workflow before answering 503. */
  updateTimeoutMs?: number;
  /** The limits on an implementing document's tasks; a trusted caller (a test) may go without. */
  limits?: Pick<IssueLimits, 'refuseCostlyTasks' | 'refusePlanBeyondReach'>;
}

export interface ActionResult<T = AssignmentView> {
  /** False when the same action had already been done: nothing changed. */
  changed: boolean;
  result: T;
}

/** The assignment in the read model, or 404 naming what is missing. */
async function assignmentOr404(store: ActionDeps['store'], directiveId: string, unitCode: string): Promise<AssignmentRow> {
  const row = await store.assignments.find(directiveId, unitCode);
  if (row) return row;
  if (!(await store.directives.findRoot(directiveId))) throw new ApiError(404, 'NOT_FOUND', `directive ${directiveId} not found`);
  throw new ApiError(404, 'NOT_FOUND', `${unitCode} has no assignment in directive ${directiveId}`);
}

/**
 * The workflow's own view when it answers, else the read model's as it is now: `row` was
 * read before the Update, and the action being repeated may have been written since (a
 * first attempt that outlasted its caller's deadline, completed while the repeat waited).
 */
async function currentView(deps: ActionDeps, row: AssignmentRow): Promise<AssignmentView> {
  try {
    return await deps.client.workflow.getHandle(workflowIds.assignment(row.directiveId, row.unitCode)).query(stateQuery);
  } catch {
    const now = await deps.store.assignments.find(row.directiveId, row.unitCode);
    return deps.store.assignments.viewOf(now ?? row);
  }
}

/**
 * Runs the Update. On rejection, `alreadyDone` decides whether this is a repeat of an
 * action that succeeded before (200, unchanged) or a real conflict (409 with the reason).
 */
async function runUpdate<Arg>(
  deps: ActionDeps,
  row: AssignmentRow,
  update: UpdateDefinition<AssignmentView, [Arg]>,
  arg: Arg,
  alreadyDone: (view: AssignmentView) => Promise<boolean> | boolean,
): Promise<ActionResult> {
  const target = {
    client: deps.client,
    workflowId: workflowIds.assignment(row.directiveId, row.unitCode),
    timeoutMs: deps.updateTimeoutMs,
  };
  const outcome = await executeUnitUpdate(target, update, arg);
  if (outcome.accepted) return { changed: true, result: outcome.result };
  const view = await currentView(deps, row);
  if (await alreadyDone(view)) return { changed: false, result: view };
  // No workflow under the id: the read model has the assignment, so its workflow ran and has closed.
  throw new ApiError(409, 'CONFLICT', outcome.closed ? `the assignment is ${row.stage}` : outcome.reason);
}

export async function acknowledge(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  body: z.infer<typeof acknowledgeSchema>,
): Promise<ActionResult> {
  const actorUnitCode = actorFor(p, unitCode, 'acknowledge');
  const row = await assignmentOr404(deps.store, directiveId, unitCode);
  return runUpdate(deps, row, acknowledgeUpdate, { actorUnitCode, by: actorOf(p, 'acknowledge'), ...body }, async (view) => {
    if (view.ackVersion < view.directiveVersion || view.ackVersion === 0) return false;
    const recorded = await deps.store.assignments.acknowledgementOf(row.id, view.ackVersion);
    if (recorded === null) {
      // The workflow has the acknowledgement but the read model not yet (an earlier attempt
      // was applied while its answer timed out, and its write is still being retried): which
      // note it carried is unknown, so this is neither a proven repeat nor a conflict.
      throw new ApiError(503, 'ENGINE_BUSY', 'the acknowledgement is still being recorded; retry later', undefined, RETRY_AFTER_S.database);
    }
    return (recorded.note ?? null) === (body.note ?? null);
  });
}

export async function concretize(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  body: z.infer<typeof concretizeSchema>,
): Promise<ActionResult> {
  const actorUnitCode = actorFor(p, unitCode, 'concretize');
  // The plan's tasks are held to the issue's limits before the workflow sees them.
  deps.limits?.refuseCostlyTasks(body.tasks ?? []);
  deps.limits?.refusePlanBeyondReach(p, body.tasks ?? []);
  const row = await assignmentOr404(deps.store, directiveId, unitCode);
  return runUpdate(deps, row, concretizeUpdate, { actorUnitCode, by: actorOf(p, 'concretize'), ...body }, async (view) => {
    if (!view.implementingDirectiveId) return false;
    const doc = await deps.store.directives.find(view.implementingDirectiveId);
    return doc !== null && doc.number === body.number && doc.title === body.title;
  });
}

export async function report(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  body: z.infer<typeof reportSchema>,
): Promise<ActionResult> {
  const actorUnitCode = actorFor(p, unitCode, 'report');
  const row = await assignmentOr404(deps.store, directiveId, unitCode);
  return runUpdate(deps, row, reportUpdate, { actorUnitCode, by: actorOf(p, 'report'), ...body }, async () => {
    const reports = await deps.store.assignments.reportsOf(row.id);
    const same = body.cycle === undefined ? reports.at(-1) : reports.find((r) => r.cycle === body.cycle);
    return (
      same !== undefined &&
      same.summary === body.summary &&
      same.completion === body.completion &&
      JSON.stringify(same.metrics ?? null) === JSON.stringify(body.metrics ?? null)
    );
  });
}

/** The API chooses the request id, so the unit can refer to it in the decision. */
export async function requestExtension(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  body: z.infer<typeof extensionRequestSchema>,
): Promise<ActionResult<{ requestId: string; assignment: AssignmentView }>> {
  const actorUnitCode = actorFor(p, unitCode, 'requestExtension');
  const row = await assignmentOr404(deps.store, directiveId, unitCode);
  const requestId = crypto.randomUUID();
  const { result } = await runUpdate(
    deps,
    row,
    requestExtensionUpdate,
    { actorUnitCode, by: actorOf(p, 'requestExtension'), requestId, ...body }, () => false);
  return { changed: true, result: { requestId, assignment: result } };
}

/**
 * Decided by the unit above (the assignment's parentUnitCode); the admin decides as that
 * unit. A unit token that is not the parent gets the same 403 whether the directive and
 * the assignment exist or not, so that deciding cannot probe them.
 */
export async function decideExtension(
  deps: ActionDeps,
  p: Principal,
  directiveId: string,
  unitCode: string,
  requestId: string,
  body: z.infer<typeof extensionDecisionSchema>,
): Promise<ActionResult> {
  const row =
    p.kind === 'admin' ? await assignmentOr404(deps.store, directiveId, unitCode) : await deps.store.assignments.find(directiveId, unitCode);
  if (!row || (p.kind === 'unit' && row.parentUnitCode !== p.unitCode)) {
    throw new ApiError(403, 'FORBIDDEN', `only the unit above ${unitCode} in this directive may decide its extension requests`);
  }
  const parent = row.parentUnitCode;
  if (!parent) throw new ApiError(409, 'CONFLICT', 'this assignment has no unit above it to decide');
  const actorUnitCode = actorFor(p, parent, 'decideExtension');
  if (!(await deps.store.assignments.extensionRequest(row.id, requestId))) {
    throw new ApiError(404, 'NOT_FOUND', `no extension request ${requestId} for ${unitCode}`);
  }
  const wanted = body.approve ? 'APPROVED' : 'REJECTED';
  return runUpdate(deps, row, decideExtensionUpdate, { actorUnitCode, by: actorOf(p, 'decideExtension'), requestId, ...body }, (view) =>
    view.extensions.some((x) => x.requestId === requestId && x.status === wanted && (x.note ?? null) === (body.note ?? null)),
  );
}
