/**
 * A new cascade's root directive, written under its issuer's lock (read-model/quotas.ts):
 * one issue per issuer at a time across every API process, so that two requests cannot
 * both pass the open-cascade quota. The quota is counted and the directive inserted in the
 * same transaction, on its connection.
 */
import type { Db } from './db';
import { createRootDirective, findDirectiveByNumber, type NewRootDirective } from './directives';
import { lockIssuer, openCascades } from './quotas';
import { unitsReached } from './subtree';

/** The counts an issuer's quotas are checked against, read under the issuer's lock. */
export interface QuotaCounts {
  /** The issuer's open cascades. */
  openCascades(issuerCode: string): Promise<number>;
  /** Units in the subtrees rooted at these units, each counted once. */
  unitsReached(rootCodes: string[]): Promise<number>;
}

/** How long an issue waits for the issuer's lock and a connection, and how long it may hold them. */
const LOCK_WAIT_MS = 15_000;
const LOCK_HOLD_MS = 30_000;

/**
 * Records the root directive unless the issuer already has a document with its number (a
 * request that got there first: false, nothing written). `check` runs first, under the
 * lock; when it throws, nothing is written.
 */
export async function createRootDirectiveExclusive(
  db: Db,
  d: NewRootDirective,
  check: (counts: QuotaCounts) => Promise<void>,
): Promise<boolean> {
  return db.$transaction(
    async (tx) => {
      await lockIssuer(tx, d.issuerCode);
      if (await findDirectiveByNumber(tx, d.issuerCode, d.number)) return false;
      await check({
        openCascades: (issuerCode) => openCascades(tx, issuerCode),
        unitsReached: (rootCodes) => unitsReached(tx, rootCodes),
      });
      await createRootDirective(tx, d);
      return true;
    },
    { maxWait: LOCK_WAIT_MS, timeout: LOCK_WAIT_MS + LOCK_HOLD_MS },
  );
}
