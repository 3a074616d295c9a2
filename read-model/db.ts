/**
 * The Prisma client over the pg driver adapter: no native query engine is needed
 * (`engineType = "client"`), which is what works in environments that cannot download one.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma';

export type Db = PrismaClient;

export function createDb(url: string, poolSize = 10): Db {
  const adapter = new PrismaPg({ connectionString: url, max: poolSize });
  return new PrismaClient({ adapter });
}

/** The cheapest round trip to the database: the health probe. */
export async function pingDb(db: Db): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
