/**
 * Case 4: notifications come from escalations, so this cascade has a short acknowledgement
 * deadline and a ladder (remind at the deadline, notify the parent a minute later) and holds
 * back one leaf in 25, which goes overdue. Meanwhile the webhook answers slowly (5 s per
 * call) for a minute once notifications flow, then fails (HTTP 503) for a minute, then
 * recovers: every notification must still arrive, duplicates only under the same id.
 */
import { relayPolicy } from './harness/cascade';
import { runRelayScenario } from './harness/scenario';
import { slowCase } from './harness/slow-case';
import { sleep, waitFor } from '../../stack/wait';

const SLOW_MS = 5_000;
const PHASE_MS = 60_000;

slowCase(
  {
    name: 'webhook-outage',
    summary: 'webhook slow (5 s/call) for 1 min, then failing (503) for 1 min, while escalations notify',
    title:
      'when the webhook is slow and then failing for a minute while overdue units escalate then every notification is delivered once recovered, duplicates only under the same message id',
    outbox: true,
  },
  (stack, tree, rec) =>
    runRelayScenario(stack, tree, rec, {
      label: 'WEBHOOK',
      policy: relayPolicy({
        ackWithin: 'PT2M',
        escalation: [
          { after: 'PT0S', action: 'remind' },
          { after: 'PT1M', action: 'notify_parent' },
        ],
      }),
      holdBack: (_code, i, leaf) => leaf && i % 25 === 0,
      notifications: true,
      inject: async ({ stack, directiveId, rec }) => {
        const outbox = () => stack.db.outboxMessage.count({ where: { directiveId } });
        const slowFrom = Date.now();
        stack.webhook.mode = { kind: 'slow', delayMs: SLOW_MS };
        await waitFor(outbox, (n) => n > 0, 'the first notification', 15 * 60_000, 1000);
        await sleep(PHASE_MS);
        rec.fault('webhook slow', `${SLOW_MS} ms per call, from the issue until ${PHASE_MS / 1000} s after the first notification`, Date.now() - slowFrom);
        stack.webhook.mode = { kind: 'failing', status: 503 };
        const failing = `every call answered 503 (outbox had ${await outbox()} messages when it began)`;
        await sleep(PHASE_MS);
        stack.webhook.mode = { kind: 'ok' };
        rec.fault('webhook failing', failing, PHASE_MS);
        rec.figures.notificationsDuringFaults = await outbox();
        // The held-back units acknowledge after the open phase: let every rung fire first.
        const held = rec.figures.heldBack ?? 0;
        await waitFor(
          () => stack.db.escalation.count({ where: { directiveId } }),
          (n) => n >= 2 * held,
          `both rungs for the ${held} held-back units`,
          10 * 60_000,
          1000,
        );
      },
    }),
);
