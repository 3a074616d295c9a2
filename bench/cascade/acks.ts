/**
 * The acknowledging phase: N simulated unit clients, each taking the next unacknowledged
 * unit and acknowledging it (five attempts) — by default through the HTTP API with the
 * unit's own token (POST /directives/:id/units/:code/acknowledge), with `--acks client`
 * straight through the Temporal client's update — while the read model is
 * polled for progress; optionally stopped by a time budget. Then, optionally, the wait for
 * the whole cascade to close, which acknowledging every leaf brings about.
 */
import { type Client } from '@temporalio/client';
import { acknowledgeUpdate } from '../../contract/definitions';
import { workflowIds } from '../../contract/ids';
import type { Delivery } from './delivery';
import { summarize, timedCall, type LatencySummary, type Timed } from './http';
import { sleep } from '../../stack/wait';
import { cpuWindow, log, mib, secs } from './measure';
import type { Options } from './options';
import type { CascadeStack } from './stack';

/** How acknowledging went. Exactly one of `ackPartial` and `ackMs` is set. */
export interface Acks {
  /** Set when --ack-budget stopped the acks early. */
  ackPartial?: { acked: number; ms: number };
  /** Until the read model showed every assignment acknowledged. */
  ackMs?: number;
  /** Until every client's last call returned. */
  ackCallsMs: number;
  /** Failed update calls, retried or not. */
  ackErrors: number;
  cpuAck: Record<string, number>;
  /** When the first client started. */
  startedAt: number;
  budgetHit: boolean;
  /** Latency of every HTTP acknowledge call (api mode). */
  latency?: LatencySummary;
}

/** The simulated clients at work: `done` is how long until every last call returned. */
interface Clients {
  done: Promise<number>;
  /** Failed update calls so far. */
  errors(): number;
  /** Each client finishes its current call and takes no more. */
  stop(): void;
  /** Every call's latency and status (api mode). */
  samples: Timed[];
}

/** Starts `n` clients that take the next code in `codes` and acknowledge its assignment. */
function startClients(
  stack: CascadeStack,
  mode: Options['acks'],
  directiveId: string,
  codes: string[],
  n: number,
  since: number,
): Clients {
  const samples: Timed[] = [];
  const once = async (code: string): Promise<void> => {
    if (mode === 'client') {
      const handle = stack.client.workflow.getHandle(workflowIds.assignment(directiveId, code));
      await handle.executeUpdate(acknowledgeUpdate, { args: [{ actorUnitCode: code }] });
      return;
    }
    const t = await timedCall(
      stack.api,
      'POST',
      `/directives/${encodeURIComponent(directiveId)}/units/${encodeURIComponent(code)}/acknowledge`,
      stack.api.tokens.get(code)!,
      {},
    );
    samples.push(t);
    if (t.status < 200 || t.status >= 300) throw new Error(`HTTP ${t.status}`);
  };
  return { ...clientLoops(codes, n, since, once), samples };
}

/**
 * `n` simulated clients, each taking the next code and calling `once` on it, up to five
 * attempts with a growing pause (a failure is a rejection of `once`). Shared by the
 * cascade's acknowledgements and the ack floor (ack-floor.ts).
 */
export function clientLoops(
  codes: string[],
  n: number,
  since: number,
  once: (code: string) => Promise<void>,
): Omit<Clients, 'samples'> {
  let next = 0;
  let errors = 0;
  const clientLoop = async () => {
    for (;;) {
      const i = next++;
      if (i >= codes.length) return;
      const code = codes[i]!;
      for (let attempt = 1; ; attempt++) {
        try {
          await once(code);
          break;
        } catch (err) {
          errors++;
          if (attempt >= 5) {
            console.error(`ack of ${code} failed: ${(err as Error).message}`);
            break;
          }
          await sleep(200 * attempt);
        }
      }
    }
  };
  const done = Promise.all(Array.from({ length: n }, clientLoop)).then(() => Date.now() - since);
  return { done, errors: () => errors, stop: () => (next = codes.length) };
}

/** Acknowledges every delivered assignment with `opts.clients` concurrent clients. */
export async function acknowledgeAll(
  stack: CascadeStack,
  opts: Options,
  delivery: Delivery,
): Promise<Acks> {
  const { worker } = stack;
  const id = delivery.directiveId;
  const target = delivery.below.length;
  let c = delivery.counts;
  const cpuAckWindow = cpuWindow(stack.probes);
  const t1 = Date.now();
  const clients = startClients(stack, opts.acks, id, [...delivery.below], opts.clients, t1);
  const loops = clients.done;
  let callsMs: number | undefined;
  void loops.then((ms) => (callsMs = ms));
  log(`cascade: ${opts.clients} clients acknowledging ${target} assignments (${opts.acks === 'api' ? 'HTTP API' : 'Temporal client'})`);
  let lastPrint = t1;
  let last = 0;
  let budgetHit = false;
  while (c.acked < target) {
    await sleep(250);
    if (worker.proc.exitCode !== null) throw new Error('the cascade worker died');
    c = await stack.counts(id);
    if (opts.ackBudgetS !== undefined && Date.now() - t1 >= opts.ackBudgetS * 1000) {
      budgetHit = true;
      clients.stop();
      break;
    }
    if (callsMs !== undefined && c.acked < target) {
      // Every call returned (some failed for good): wait a little, then give up.
      await sleep(5000);
      c = await stack.counts(id);
      break;
    }
    if (Date.now() - lastPrint >= 5000) {
      const rate = ((c.acked - last) * 1000) / (Date.now() - lastPrint);
      log(
        `cascade: ${c.acked}/${target} acknowledged (${rate.toFixed(0)}/s), errors ${clients.errors()}, worker RSS ${mib(worker.rssPeakSampled)}`,
      );
      lastPrint = Date.now();
      last = c.acked;
    }
  }
  let ackPartial: Acks['ackPartial'];
  let ackMs: number | undefined;
  if (budgetHit) {
    const ms = Date.now() - t1;
    ackPartial = { acked: c.acked, ms };
    await loops;
    log(`cascade: ack budget spent: ${c.acked}/${target} acknowledged in ${secs(ms)} s`);
  } else ackMs = Date.now() - t1;
  const ackCallsMs = await loops;
  const cpuAck = cpuAckWindow();
  if (ackMs !== undefined) {
    log(
      `cascade: ${c.acked}/${target} acknowledged in ${secs(ackMs)} s; ${clients.errors()} failed calls (retried)`,
    );
  }
  return {
    ackPartial,
    ackMs,
    ackCallsMs,
    ackErrors: clients.errors(),
    cpuAck,
    startedAt: t1,
    budgetHit,
    ...(opts.acks === 'api' ? { latency: summarize(clients.samples) } : {}),
  };
}

/**
 * Waits up to `timeoutS` for the directive's workflow to complete; returns the time since
 * `since` (the first acknowledgement) when it did, undefined when it did not.
 */
export async function waitForClose(
  client: Client,
  directiveId: string,
  timeoutS: number,
  since: number,
): Promise<number | undefined> {
  // Acknowledging closes every leaf, and each unit closes when its children have.
  log(`cascade: waiting up to ${timeoutS} s for the whole cascade to close`);
  const closed = await Promise.race([
    client.workflow
      .getHandle(workflowIds.directive(directiveId))
      .result()
      .then(() => true),
    sleep(timeoutS * 1000).then(() => false),
  ]);
  if (!closed) {
    log('cascade: did not close in time');
    return undefined;
  }
  const closeMs = Date.now() - since;
  log(`cascade: closed ${secs(closeMs)} s after the first acknowledgement`);
  return closeMs;
}
