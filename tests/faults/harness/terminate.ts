/**
 * Case 5's fault, shared by the slow case and the fast subset: an operator terminates one
 * assignment workflow from the Temporal CLI. The engine must then show the assignment as
 * FAILED with a reason and count it in the directive's progress; an admin retries it
 * (POST …/units/:code/retry) and the unit gets a working assignment again, which it
 * acknowledges.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { workflowIds } from '../../../contract/ids';
import { errorMessage } from './api-client';
import type { CaseRecorder } from './results';
import type { FaultStack } from './stack';
import { waitFor } from '../../../stack/wait';

const run = promisify(execFile);

/** `temporal workflow terminate` against the stack's server, as an operator would type it. */
export async function terminateFromCli(stack: FaultStack, workflowId: string, reason: string): Promise<void> {
  await run(stack.cliPath, [
    'workflow', 'terminate',
    '--address', stack.temporalAddress,
    '--namespace', 'default',
    '--workflow-id', workflowId,
    '--reason', reason,
  ]);
}

export async function terminateAndRetry(
  stack: FaultStack,
  directiveId: string,
  unit: string,
  token: string,
  rec: CaseRecorder,
  ms = 5 * 60_000,
): Promise<string[]> {
  const problems: string[] = [];
  const unitPath = `/api/v1/directives/${directiveId}/units/${unit}`;
  const readUnit = async () => {
    const a = await stack.api.call('GET', unitPath);
    if (a.status !== 200) throw new Error(`GET ${unitPath}: ${a.status} ${errorMessage(a)}`);
    return a.body as { stage: string; failureReason?: string | null; attempt?: number };
  };

  const t = Date.now();
  await terminateFromCli(stack, workflowIds.assignment(directiveId, unit), 'fault suite: operator terminates the workflow');
  rec.fault('workflow terminated (temporal CLI)', `cascade/<id>/${unit}`);

  // FAILED, with a reason, counted in the progress.
  const failed = await waitFor(readUnit, (b) => b.stage === 'FAILED', `${unit} to show FAILED`, ms, 500).catch((err: Error) => {
    problems.push(err.message);
    return null;
  });
  rec.durationsMs.failedVisible = Date.now() - t;
  if (!failed) return problems;
  if (!failed.failureReason) problems.push(`${unit} is FAILED without a reason`);
  const directive = await stack.api.call('GET', `/api/v1/directives/${directiveId}`);
  const failedCount = Number(directive.body?.progress?.byStage?.FAILED ?? 0);
  rec.figures.progressFailed = failedCount;
  if (failedCount !== 1) problems.push(`the directive's progress counts ${failedCount} FAILED, not 1: ${JSON.stringify(directive.body?.progress)}`);

  // Only the admin may retry; then the unit is back in a normal stage and acts again.
  const refused = await stack.api.call('POST', `${unitPath}/retry`, { token, body: {} });
  if (refused.status !== 403) problems.push(`a unit token retrying answered ${refused.status}, not 403`);
  const r = Date.now();
  const retried = await stack.api.callUntilFinal('POST', `${unitPath}/retry`, {
    body: {},
    // The failed run may still be closing (it waits for the units below it): 409, try again.
    retryIf: (a) => a.status === 409 && /still closing/.test(errorMessage(a)),
  });
  if (retried.status < 200 || retried.status >= 300) {
    problems.push(`the admin's retry answered ${retried.status} ${errorMessage(retried)}`);
    return problems;
  }
  rec.figures.retryAttempt = Number(retried.body?.attempt ?? 0);
  const back = await waitFor(readUnit, (b) => b.stage !== 'FAILED', `${unit} back from FAILED`, ms, 500).catch((err: Error) => {
    problems.push(err.message);
    return null;
  });
  rec.durationsMs.retryToRedelivered = Date.now() - r;
  if (!back) return problems;
  if (back.failureReason) problems.push(`${unit} still carries its failure reason after the retry`);
  const acked = await stack.api.callUntilFinal('POST', `${unitPath}/acknowledge`, {
    token,
    body: { note: 'đã nhận (sau khi khôi phục)' },
    idempotencyKey: `ack-${directiveId}-${unit}-after-retry`,
  });
  if (acked.status !== 200 && acked.status !== 201) problems.push(`acknowledging after the retry answered ${acked.status} ${errorMessage(acked)}`);
  const normal = await waitFor(readUnit, (b) => b.stage === 'COMPLETED', `${unit} COMPLETED after the retry`, ms, 500).catch((err: Error) => {
    problems.push(err.message);
    return null;
  });
  rec.figures.retriedStageCompleted = normal ? 1 : 0;
  return problems;
}
