/**
 * What a test file uses to reach the shared real stack: the PostgreSQL URL, a Prisma
 * client, and a Temporal client connection. Close what you open in afterAll.
 */
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { createDb, type Db } from '../../read-model/db';
import { STATE_FILE, type StackState } from './stack-state';

export function stackState(): StackState {
  return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as StackState;
}

export function testDb(): Db {
  return createDb(stackState().databaseUrl, 5);
}

export async function testTemporal(): Promise<{ connection: Connection; client: Client }> {
  const { temporalAddress, namespace } = stackState();
  const connection = await Connection.connect({ address: temporalAddress });
  return { connection, client: new Client({ connection, namespace }) };
}

/** A suffix that keeps ids of one test apart from another's in the shared database. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}
