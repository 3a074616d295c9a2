/**
 * The shape shared by the relay cases (worker kill, Temporal restart, PostgreSQL outage,
 * webhook outage): issue to the tree, let units acknowledge concurrently as assignments
 * arrive while `inject` does its damage, hold a few units back so that open workflows can
 * be compared with their rows, then let them acknowledge, wait for the cascade to close,
 * and check everything again.
 */
import { workflowIds } from '../../../contract/ids';
import { acknowledge, issueDirective, issueTokens, relayPolicy, UnitActions } from './cascade';
import { Progress } from './progress';
import type { CaseRecorder } from './results';
import type { FaultStack } from './stack';
import type { FaultTree } from './tree';
import { waitFor } from '../../../stack/wait';
import { withinBudget } from './util';
import { lostActions, verifyCascade } from './verify';

export interface ScenarioContext {
  stack: FaultStack;
  directiveId: string;
  progress: Progress;
  acks: UnitActions;
  /** Assignments the cascade must reach. */
  expected: number;
  rec: CaseRecorder;
  /** The unit tokens, by code. */
  tokens: Map<string, string>;
  /** What the fault itself found wrong (the scenario's own checks add theirs). */
  problems: string[];
}

export interface ScenarioOptions {
  label: string;
  policy?: Record<string, unknown>;
  /** Units that do not acknowledge until the open phase has been checked; default every 10th leaf. */
  holdBack?: (code: string, index: number, isLeaf: boolean) => boolean;
  /** Acknowledgements in flight at once. */
  concurrency?: number;
  /** The faults; runs while delivery and acknowledgements proceed. */
  inject: (ctx: ScenarioContext) => Promise<void>;
  /** Whether notifications are expected (and must all reach the webhook). */
  notifications?: boolean;
  /** How long delivery, acknowledgements and the close may take in all. */
  budgetMs?: number;
}

/** Runs the scenario; returns the problems found (empty: every invariant held). */
export async function runRelayScenario(stack: FaultStack, tree: FaultTree, rec: CaseRecorder, opts: ScenarioOptions): Promise<string[]> {
  const budget = opts.budgetMs ?? 20 * 60_000;
  const units = tree.recipients.map((u) => u.code);
  const leaves = new Set(tree.recipients.filter((u) => !tree.units.some((c) => c.parentCode === u.code)).map((u) => u.code));
  const holdBack = opts.holdBack ?? ((_code, i, leaf) => leaf && i % 10 === 0);
  const held = units.filter((c, i) => holdBack(c, i, leaves.has(c)));
  const first = units.filter((c) => !held.includes(c));
  rec.units = units.length;
  rec.figures.heldBack = held.length;

  const tokens = await issueTokens(stack, units);
  rec.mark('issue');
  const issuedAt = Date.now();
  const directiveId = await issueDirective(stack, tree, opts.policy ?? relayPolicy(), opts.label);
  const progress = new Progress(stack, directiveId, units.length, () => rec.elapsed());
  // The measured phase: every delivery and the first round of acknowledgements.
  rec.progress = { target: units.length + first.length, samples: progress.samples };
  const acks = new UnitActions(stack, directiveId, first, acknowledge(stack, directiveId, tokens), opts.concurrency ?? 16);
  const problems: string[] = [];
  try {
    await opts.inject({ stack, directiveId, progress, acks, expected: units.length, rec, tokens, problems });
    await withinBudget(acks.done, budget, 'acknowledgements did not finish within the budget');
    rec.durationsMs.acks = (acks.finishedAt ?? Date.now()) - issuedAt;
    await progress.until((p) => p.delivered >= units.length, 'every assignment delivered', budget);
    rec.durationsMs.delivery = (progress.allDeliveredAt ?? Date.now()) - issuedAt;
    rec.figures.acksAccepted = acks.accepted;
    rec.figures.acksRetries = acks.retries();
    for (const [answer, n] of Object.entries(acks.answers())) {
      rec.figures[`ackAnswers.${answer}`] = n;
      // A part away is "retry later": 503 with Retry-After. Any other 5xx is a bug the unit cannot act on.
      if (/^5\d\d/.test(answer) && !answer.startsWith('503')) problems.push(`${n} acknowledgement answers were ${answer}, not 503 with Retry-After`);
    }
    rec.figures.acksSlowestMs = acks.slowest();
    rec.figures.acksHeldByStaleIdempotencyKey = acks.unitsAnswered('409 IDEMPOTENCY_IN_PROGRESS');
    const rejected = acks.rejections();
    rec.figures.acksRejected = Object.values(rejected).reduce((a, b) => a + b.count, 0);
    for (const [what, r] of Object.entries(rejected)) {
      problems.push(`${r.count} acknowledgements answered ${what} (e.g. ${r.examples.join('; ')})`);
    }
    const lost = await lostActions(stack, directiveId, acks, (r) => r.ackVersion >= 1);
    rec.figures.acksLost = lost.length;
    if (lost.length) problems.push(`${lost.length} acknowledgements answered 2xx are not in the read model: ${JSON.stringify(lost.slice(0, 5))}`);

    // Open phase: the held-back units and the provinces still wait; compare them with their rows.
    problems.push(
      ...(await verifyCascade(stack, directiveId, rec, {
        units,
        phase: 'open',
        expectDelivery: false,
        expectClosed: false,
      })),
    );

    rec.mark('close');
    const rest = new UnitActions(stack, directiveId, held, acknowledge(stack, directiveId, tokens), opts.concurrency ?? 16);
    await rest.done;
    rec.figures.acksAccepted += rest.accepted;
    const lostRest = await lostActions(stack, directiveId, rest, (r) => r.ackVersion >= 1);
    rec.figures.acksLost += lostRest.length;
    await waitFor(
      async () => (await stack.client.workflow.getHandle(workflowIds.directive(directiveId)).describe()).status.name,
      (s) => s !== 'RUNNING',
      'the cascade to close',
      budget,
      1000,
    ).catch((err: Error) => problems.push(err.message));
    rec.duration('close', 'close');
    if (opts.notifications && stack.outbox) {
      await waitFor(
        () => stack.db.outboxMessage.count({ where: { directiveId, status: { not: 'DELIVERED' } } }),
        (n) => n === 0,
        'the outbox to drain',
        10 * 60_000,
        1000,
      ).catch((err: Error) => problems.push(err.message));
      rec.duration('outboxDrained', 'close');
    }
    problems.push(
      ...(await verifyCascade(stack, directiveId, rec, {
        units,
        phase: 'final',
        queryClosed: process.env.FAULT_QUERY_CLOSED !== '0',
        expectDelivery: stack.outbox,
        expectClosed: true,
      })),
    );
    return problems;
  } finally {
    acks.stop();
    await progress.stop();
  }
}
