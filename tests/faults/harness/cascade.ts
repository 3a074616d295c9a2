/**
 * Driving a cascade the way its users do, through the HTTP API: load the tree, issue unit
 * tokens, issue a directive, and let many units act concurrently as their assignments
 * arrive — each action retried through outages until it gets a final answer.
 */
import { workflowIds } from '../../../contract/ids';
import { errorMessage, type Answer } from './api-client';
import type { FaultStack } from './stack';
import type { FaultTree } from './tree';
import { sleep, waitFor } from '../../../stack/wait';
import { pool } from './util';

/** Deadlines long enough that nothing escalates unless a case wants it; provinces relay on delivery. */
export function relayPolicy(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ackWithin: 'PT10M',
    concretizeWithin: 'PT10M',
    concretizeLevels: [],
    relay: 'on_delivery',
    calendar: 'none',
    escalation: [{ after: 'PT0S', action: 'remind' }],
    ...overrides,
  };
}

function expectOk(what: string, a: Answer): void {
  if (a.status < 200 || a.status >= 300) throw new Error(`${what}: HTTP ${a.status} ${errorMessage(a) || JSON.stringify(a.body)}`);
}

export async function loadTree(stack: FaultStack, tree: FaultTree): Promise<void> {
  expectOk('PUT /units', await stack.api.callUntilFinal('PUT', '/api/v1/units', { body: { units: tree.units }, maxMs: 120_000 }));
}

/** One unit token per code, issued by the admin. */
export async function issueTokens(stack: FaultStack, codes: string[]): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  await pool(codes, 8, async (code) => {
    const a = await stack.api.callUntilFinal<{ token: string }>('POST', `/api/v1/units/${code}/tokens`, { body: { label: 'faults' } });
    expectOk(`token for ${code}`, a);
    tokens.set(code, a.body.token);
  });
  return tokens;
}

/** Issues a directive from the tree's root (admin token); returns its id. */
export async function issueDirective(stack: FaultStack, tree: FaultTree, policy: Record<string, unknown>, label: string): Promise<string> {
  const number = `${label}/${stack.taskQueue.slice(-10)}`;
  const a = await stack.api.callUntilFinal<{ id: string }>('POST', '/api/v1/directives', {
    body: {
      number,
      kind: 'Công văn',
      title: `Fault case: ${label}`,
      issuerCode: tree.issuerCode,
      issuedAt: new Date().toISOString(),
      policy,
    },
    idempotencyKey: `issue-${number}`,
  });
  expectOk('issue', a);
  return a.body.id;
}

export async function assignmentCount(stack: FaultStack, directiveId: string): Promise<number> {
  return stack.db.assignment.count({ where: { directiveId } });
}

export async function waitForAssignments(stack: FaultStack, directiveId: string, atLeast: number, ms: number): Promise<number> {
  return waitFor(() => assignmentCount(stack, directiveId), (n) => n >= atLeast, `${atLeast} assignments`, ms, 250);
}

export async function waitForRootClosed(stack: FaultStack, directiveId: string, ms: number): Promise<void> {
  const handle = stack.client.workflow.getHandle(workflowIds.directive(directiveId));
  await waitFor(
    async () => (await handle.describe()).status.name,
    (s) => s !== 'RUNNING',
    `the cascade's root workflow to close`,
    ms,
    1000,
  );
}

/** Revokes through the API (admin), retrying through outages. */
export async function revoke(stack: FaultStack, directiveId: string, reason: string): Promise<Answer> {
  return stack.api.callUntilFinal('POST', `/api/v1/directives/${directiveId}/revoke`, {
    body: { reason },
    idempotencyKey: `revoke-${directiveId}`,
  });
}

export interface ActionOutcome {
  status: number;
  attempts: number;
  /** The answer to every attempt, e.g. ['503', '500', '409 IDEMPOTENCY_IN_PROGRESS', '200']. */
  trail: string[];
  message: string;
  ms: number;
}

/**
 * Runs one action per target unit as soon as its assignment appears in the read model,
 * `concurrency` at a time, each retried through outages (see ApiClient.callUntilFinal).
 */
export class UnitActions {
  readonly outcomes = new Map<string, ActionOutcome>();
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private stopped = false;
  readonly done: Promise<void>;
  /** When the last target's action got its final answer. */
  finishedAt: number | undefined;

  constructor(
    private readonly stack: FaultStack,
    private readonly directiveId: string,
    private readonly targets: string[],
    private readonly act: (unit: string) => Promise<Answer & { attempts: number; trail: string[] }>,
    concurrency = 16,
  ) {
    const wanted = new Set(targets);
    const poller = (async () => {
      while (!this.stopped && this.queued.size < wanted.size) {
        try {
          const rows = await stack.db.assignment.findMany({ where: { directiveId }, select: { unitCode: true } });
          for (const { unitCode } of rows) {
            if (wanted.has(unitCode) && !this.queued.has(unitCode)) {
              this.queued.add(unitCode);
              this.queue.push(unitCode);
            }
          }
        } catch {
          // the database is away: try again
        }
        await sleep(500);
      }
    })();
    const lanes = Array.from({ length: concurrency }, async () => {
      while (!this.stopped) {
        const unit = this.queue.shift();
        if (unit === undefined) {
          if (this.queued.size >= wanted.size) return;
          await sleep(100);
          continue;
        }
        const started = Date.now();
        const a = await this.act(unit);
        this.outcomes.set(unit, { status: a.status, attempts: a.attempts, trail: a.trail, message: errorMessage(a), ms: Date.now() - started });
      }
    });
    this.done = Promise.all([poller, ...lanes]).then(() => {
      this.finishedAt = Date.now();
    });
  }

  /** Units whose action was accepted (2xx). */
  get accepted(): number {
    let n = 0;
    for (const o of this.outcomes.values()) if (o.status >= 200 && o.status < 300) n++;
    return n;
  }

  get total(): number {
    return this.targets.length;
  }

  /** Answers that were not 2xx, by status and message, with up to three units and their trails. */
  rejections(): Record<string, { count: number; examples: string[] }> {
    const out: Record<string, { count: number; examples: string[] }> = {};
    for (const [unit, o] of this.outcomes) {
      if (o.status >= 200 && o.status < 300) continue;
      const key = `${o.status} ${o.message}`.slice(0, 160);
      const entry = (out[key] ??= { count: 0, examples: [] });
      entry.count++;
      if (entry.examples.length < 3) entry.examples.push(`${unit} after ${o.trail.join('→')}`);
    }
    return out;
  }

  /** How many attempts were answered each way ("503", "409 IDEMPOTENCY_IN_PROGRESS", …), over all units. */
  answers(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const o of this.outcomes.values()) for (const t of o.trail) out[t] = (out[t] ?? 0) + 1;
    return out;
  }

  /** Units that got `answer` at least once. */
  unitsAnswered(answer: string): number {
    let n = 0;
    for (const o of this.outcomes.values()) if (o.trail.includes(answer)) n++;
    return n;
  }

  /** The longest time one unit's action took, retries included (ms). */
  slowest(): number {
    let max = 0;
    for (const o of this.outcomes.values()) max = Math.max(max, o.ms);
    return max;
  }

  /** Attempts beyond the first, summed: how much retrying the outages cost the callers. */
  retries(): number {
    let n = 0;
    for (const o of this.outcomes.values()) n += o.attempts - 1;
    return n;
  }

  stop(): void {
    this.stopped = true;
  }
}

/** Acknowledges `unit` with its own token (or the admin's), idempotently (one key per unit and `round`). */
export function acknowledge(stack: FaultStack, directiveId: string, tokens?: Map<string, string>, round = 1) {
  return (unit: string) =>
    stack.api.callUntilFinal('POST', `/api/v1/directives/${directiveId}/units/${unit}/acknowledge`, {
      ...(tokens?.get(unit) ? { token: tokens.get(unit)! } : {}),
      body: { note: 'đã nhận' },
      idempotencyKey: `ack-${directiveId}-${unit}-${round}`,
    });
}
