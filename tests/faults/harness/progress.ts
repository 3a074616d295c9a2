/**
 * Watches a cascade in the read model (delivered and acknowledged counts) twice a second,
 * riding through database outages, so a case can inject a fault "at 25 % delivered".
 */
import { Prisma } from '../../../read-model/generated/prisma';
import type { FaultStack } from './stack';
import { sleep, waitFor } from '../../../stack/wait';
import type { Sample } from './recovery';

export class Progress {
  delivered = 0;
  acknowledged = 0;
  /** When the last expected assignment appeared (ms since epoch). */
  allDeliveredAt: number | undefined;
  /** Deliveries plus acknowledgements over time, for the report's "recovery s" (harness/recovery.ts). */
  readonly samples: Sample[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor(
    private readonly stack: FaultStack,
    private readonly directiveId: string,
    private readonly expected: number,
    /** Milliseconds since the case started (the recorder's clock), for the samples. */
    private readonly clock: () => number = () => 0,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const [row] = await this.stack.db.$queryRaw<Array<{ total: number; acked: number }>>(Prisma.sql`
          SELECT count(*)::int AS total, (count(*) FILTER (WHERE "ackVersion" >= 1))::int AS acked
            FROM "Assignment" WHERE "directiveId" = ${this.directiveId}`);
        this.delivered = row?.total ?? 0;
        this.acknowledged = row?.acked ?? 0;
        if (this.allDeliveredAt === undefined && this.delivered >= this.expected) this.allDeliveredAt = Date.now();
        this.samples.push([this.clock(), this.delivered + this.acknowledged]);
      } catch {
        // the database is away
      }
      await sleep(500);
    }
  }

  /** Resolves once `ok` holds of the counts (checked every 200 ms); rejects after `ms`, naming the last counts. */
  async until(ok: (p: { delivered: number; acknowledged: number }) => boolean, what: string, ms = 15 * 60_000): Promise<void> {
    await waitFor(() => ({ delivered: this.delivered, acknowledged: this.acknowledged }), ok, what, ms, 200);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}
