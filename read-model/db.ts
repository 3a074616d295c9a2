/**
 * The Prisma client over the pg driver adapter: no native query engine is needed
 * (`engineType = "client"`), which is what works in environments that cannot download one.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from './generated/prisma';

export type Db = PrismaClient;

export function createDb(url: string, poolSize = 10): Db {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  return new PrismaClient({ adapter });
}

/** The cheapest round trip to the database: the health probe. */
export async function pingDb(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08006', 'P1001', 'P1002', 'P1017']);
// "not queryable": pg's client after its connection broke (PostgreSQL stopped mid-transaction).
const UNAVAILABLE_TEXT = /ECONNREFUSED|ECONNRESET|Connection terminated|connection (is )?closed|Can't reach database|terminating connection|not queryable/i;

/**
 * Whether an error means the database could not be reached (down, restarting, connection
 * lost), as opposed to a bad query: the API answers 503 for these, not 500. Walks the
 * `cause` chain, since the driver adapter wraps the pg error.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const raw = rawQueryFailure(err);
  if (raw) return raw.kind !== 'postgres' || (raw.code !== undefined && UNAVAILABLE_CODES.has(raw.code));
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (name === 'PrismaClientInitializationError') return true;
    if (typeof message === 'string' && UNAVAILABLE_TEXT.test(message)) return true;
  }
  return false;
}

/**
 * What made a raw query (`$queryRaw`, `$executeRaw`) fail: Prisma reports every such failure
 * as P2010 — a constraint broken and the database unreachable alike — with the driver
 * adapter's error in `meta`: `kind` "postgres" with the SQLSTATE `code` when the server
 * answered, else what went wrong on the way (`DatabaseNotReachable`, a closed connection…).
 * Undefined for any other error.
 */
export function rawQueryFailure(err: unknown): { kind: string; code?: string } | undefined {
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { kind?: unknown; code?: unknown } } } };
  if (e?.code !== 'P2010') return undefined;
  const cause = e.meta?.driverAdapterError?.cause;
  const kind = typeof cause?.kind === 'string' ? cause.kind : 'unknown';
  return typeof cause?.code === 'string' ? { kind, code: cause.code } : { kind };
}

/**
 * Whether a database error is one that retrying cannot fix: constraint and value errors
 * (P2000–P2033), except the pool timeout (P2024), which is load, not poison, and a raw
 * query's failure (P2010), which is poison only when the database answered that the data or
 * the statement is wrong (SQLSTATE classes 22, 23, 42) — a raw query against a database
 * that is away or shutting down fails with P2010 too, and that is retried like any outage.
 */
export function isPoisonDatabaseError(err: unknown): boolean {
  if (err instanceof Prisma.PrismaClientValidationError) return true;
  if (err instanceof Prisma.PrismaClientKnownRequestError) {
    const raw = rawQueryFailure(err);
    if (raw) return raw.kind === 'postgres' && /^(22|23|42)/.test(raw.code ?? '');
    return /^P20([0-2]\d|3[0-3])$/.test(err.code) && err.code !== 'P2024';
  }
  return false;
}
