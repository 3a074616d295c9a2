/**
 * express-rate-limit's counters in PostgreSQL, so that every API process counts the same
 * requests: with per-process memory, N processes would allow N times each limit. One row
 * per key and fixed window; an increment is one upsert that starts a new window when the
 * old one has passed. Expired rows are pruned at most once a window by each process.
 */
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import type { Db } from './db';

export class PostgresRateLimitStore implements Store {
  /** Counters in the database are seen by every process: not local. */
  readonly localKeys = false;
  readonly prefix: string;
  private windowMs = 60_000;
  private lastPrune = 0;

  /** `prefix` names the limiter (and the deployment's namespace) before each key. */
  constructor(
    private readonly db: Pick<Db, '$queryRaw' | '$executeRaw'>,
    prefix: string,
  ) {
    this.prefix = `${prefix}:`;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    await this.pruneNow();
    const rows = await this.db.$queryRaw<Array<{ hits: number; resetAt: Date }>>`
      INSERT INTO "RateLimitCounter" (key, hits, "resetAt")
      VALUES (${this.prefix + key}, 1, now() + make_interval(secs => ${this.windowMs / 1000}))
      ON CONFLICT (key) DO UPDATE SET
        hits = CASE WHEN "RateLimitCounter"."resetAt" <= now() THEN 1 ELSE "RateLimitCounter".hits + 1 END,
        "resetAt" = CASE WHEN "RateLimitCounter"."resetAt" <= now() THEN EXCLUDED."resetAt" ELSE "RateLimitCounter"."resetAt" END
      RETURNING hits, "resetAt"`;
    const row = rows[0]!;
    return { totalHits: row.hits, resetTime: row.resetAt };
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const rows = await this.db.$queryRaw<Array<{ hits: number; resetAt: Date }>>`
      SELECT hits, "resetAt" FROM "RateLimitCounter" WHERE key = ${this.prefix + key} AND "resetAt" > now()`;
    const row = rows[0];
    return row ? { totalHits: row.hits, resetTime: row.resetAt } : undefined;
  }

  async decrement(key: string): Promise<void> {
    await this.db.$executeRaw`
      UPDATE "RateLimitCounter" SET hits = greatest(hits - 1, 0) WHERE key = ${this.prefix + key} AND "resetAt" > now()`;
  }

  async resetKey(key: string): Promise<void> {
    await this.db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE key = ${this.prefix + key}`;
  }

  /** Windows that have passed are only read as "start again": delete them now and then. */
  private async pruneNow(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPrune < this.windowMs) return;
    this.lastPrune = now;
    await this.db.$executeRaw`DELETE FROM "RateLimitCounter" WHERE "resetAt" < now() - interval '1 minute'`;
  }
}
