/**
 * Every unit action the API takes is a Temporal Update on one workflow (an assignment, a
 * task part). This is the one place that runs one: with a deadline, so that a request
 * never waits longer than UPDATE_TIMEOUT_MS for a workflow nobody is running, and with the
 * engine's failures mapped to answers a caller can act on (503 and retry later). What a
 * rejection means is the caller's to decide: a conflict, or a repeat of an action done.
 */
import { status as grpcStatus } from '@grpc/grpc-js';
import type { Client } from '@temporalio/client';
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { log } from '../../runtime/log';
import { ApiError } from '../errors';
import { RETRY_AFTER_S } from '../retry-after';

/** How long an Update waits for its workflow when the caller names no deadline. */
export const DEFAULT_UPDATE_TIMEOUT_MS = 20_000;

export interface UpdateTarget {
  client: Client;
  workflowId: string;
  /** How long to wait for the workflow before answering 503 (default 20 s). */
  timeoutMs?: number | undefined;
}

/**
 * What became of an Update: its result, or the workflow's refusal. `closed` is true when
 * no workflow runs under the id (it has closed): the caller words that reason itself.
 */
export type UpdateOutcome<T> =
  | { accepted: true; result: T }
  | { accepted: false; reason: string; closed: boolean };

/**
 * Runs the Update and returns its outcome. Throws 503 ENGINE_UNAVAILABLE when the engine
 * is unreachable, did not answer in time or refused the request for its own reasons, 503
 * ENGINE_BUSY when it is overloaded, each with how soon a retry can succeed
 * (api/retry-after.ts); anything else unexpected is rethrown.
 */
export async function executeUnitUpdate<T, Arg>(
  target: UpdateTarget,
  update: UpdateDefinition<T, [Arg]>,
  arg: Arg,
): Promise<UpdateOutcome<T>> {
  const handle = target.client.workflow.getHandle(target.workflowId);
  try {
    // Bounded: with no worker polling, an Update would wait for as long as the caller does.
    const result = await target.client.withDeadline(Date.now() + (target.timeoutMs ?? DEFAULT_UPDATE_TIMEOUT_MS), () =>
      handle.executeUpdate(update, { args: [arg] }),
    );
    return { accepted: true, result };
  } catch (err) {
    if (isUnreachable(err)) {
      throw new ApiError(503, 'ENGINE_UNAVAILABLE', 'the workflow engine is not reachable; the system is recovering, retry later', undefined, RETRY_AFTER_S.temporal);
    }
    if (isDeadline(err)) {
      // The gRPC client retries an unreachable server within the deadline, so a deadline can
      // mean Temporal away as well as a workflow that did not answer: ask Temporal which.
      if (!(await temporalAnswers(target.client))) {
        throw new ApiError(503, 'ENGINE_UNAVAILABLE', 'the workflow engine is not reachable; the system is recovering, retry later', undefined, RETRY_AFTER_S.temporal);
      }
      throw new ApiError(503, 'ENGINE_UNAVAILABLE', 'the workflow engine did not answer in time; retry later', undefined, RETRY_AFTER_S.workflow);
    }
    if (isBusy(err)) {
      // Too many actions waiting on this one workflow (the server admits 10 in flight), e.g.
      // retries piling up while a relay is still starting hundreds of units below.
      throw new ApiError(503, 'ENGINE_BUSY', 'the workflow engine is busy with this assignment; retry later', undefined, RETRY_AFTER_S.workflow);
    }
    if (err instanceof WorkflowUpdateFailedError) {
      return { accepted: false, reason: (err.cause as Error | undefined)?.message ?? err.message, closed: false };
    }
    if (err instanceof WorkflowNotFoundError) return { accepted: false, reason: err.message, closed: true };
    if (err instanceof ServiceError) {
      // Any other refusal by the Temporal service (e.g. FAILED_PRECONDITION "Unable to perform
      // workflow execution update due to unexpected workflow task failure": the workflow task
      // carrying the Update timed out on an overloaded worker) is the engine's, not the
      // caller's: the action was not applied, and a retry is safe (a repeat is detected).
      log('warn', 'update refused by the workflow service', {
        workflowId: target.workflowId,
        status: grpcName((err.cause as { code?: unknown } | undefined)?.code),
        error: (err.cause as Error | undefined)?.message ?? err.message,
      });
      throw new ApiError(503, 'ENGINE_UNAVAILABLE', 'the workflow engine could not take the action now; retry later', undefined, RETRY_AFTER_S.workflow);
    }
    throw err;
  }
}

/** How long the check that Temporal answers may take after an Update's deadline. */
const PROBE_MS = 1_000;

/** Whether the Temporal service answers at all (its cheapest call), within PROBE_MS. */
async function temporalAnswers(client: Client): Promise<boolean> {
  try {
    await client.withDeadline(Date.now() + PROBE_MS, () => client.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

function grpcCode(err: unknown): unknown {
  return (err as { cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;
}

/** The server refused the Update for load (too many in flight). */
function isBusy(err: unknown): boolean {
  return grpcCode(err) === grpcStatus.RESOURCE_EXHAUSTED;
}

/** Temporal could not be reached (stopped, restarting). */
function isUnreachable(err: unknown): boolean {
  return grpcCode(err) === grpcStatus.UNAVAILABLE;
}

/** `FAILED_PRECONDITION` for 9: the gRPC status name, for the log. */
function grpcName(code: unknown): string {
  return (typeof code === 'number' ? grpcStatus[code] : undefined) ?? `gRPC status ${String(code)}`;
}

function isDeadline(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  const code = (err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code;
  return code === grpcStatus.DEADLINE_EXCEEDED;
}
