/**
 * Case 6: provinces must concretize (`concretizeLevels: ["province"]`). While all of them
 * acknowledge and concretize at once — each concretization fanning out to ~100 communes —
 * the issuer sends a burst of five amendments; communes acknowledge as they arrive. Once
 * the tree has settled, every open assignment must carry the last version. Then a second
 * burst: one more amendment and the revocation, back to back, while units re-acknowledge;
 * every assignment must end REVOKED or COMPLETED and the cascade close.
 */
import type { Answer } from './harness/api-client';
import { errorMessage } from './harness/api-client';
import { acknowledge, issueDirective, issueTokens, relayPolicy, UnitActions, waitForRootClosed } from './harness/cascade';
import { Progress } from './harness/progress';
import { slowCase } from './harness/slow-case';
import type { FaultStack } from './harness/stack';
import { sleep, waitFor } from '../../stack/wait';
import { pool } from './harness/util';
import { lostActions, verifyCascade } from './harness/verify';

const AMENDMENTS = 5;

/** Acknowledges then concretizes; an amendment landing in between asks for a new acknowledgement first. */
async function ackAndConcretize(stack: FaultStack, directiveId: string, unit: string, token: string): Promise<Answer & { attempts: number; rounds: number }> {
  const path = `/api/v1/directives/${directiveId}/units/${unit}`;
  let last: Answer & { attempts: number } = { status: 0, body: null, attempts: 0 };
  for (let round = 1; round <= 3 * AMENDMENTS; round++) {
    await stack.api.callUntilFinal('POST', `${path}/acknowledge`, {
      token,
      body: { note: `nhận lần ${round}` },
      idempotencyKey: `ack-${directiveId}-${unit}-p${round}`,
    });
    last = await stack.api.callUntilFinal('POST', `${path}/concretize`, {
      token,
      body: { number: `KH-${unit}-${directiveId.slice(0, 8)}`, title: `Kế hoạch thực hiện của ${unit}`, issuedAt: new Date().toISOString() },
      idempotencyKey: `concretize-${directiveId}-${unit}-${round}`,
    });
    if (last.status === 409 && /acknowledge/.test(errorMessage(last))) continue;
    return { ...last, rounds: round };
  }
  return { ...last, rounds: 3 * AMENDMENTS };
}

async function amend(stack: FaultStack, directiveId: string, n: number): Promise<Answer> {
  return stack.api.callUntilFinal('POST', `/api/v1/directives/${directiveId}/amendments`, {
    body: { note: `sửa đổi lần ${n}` },
    idempotencyKey: `amend-${directiveId}-${n}`,
  });
}

slowCase(
  {
    name: 'amend-revoke-burst',
    summary: `${AMENDMENTS} amendments while all provinces concretize; then amend + revoke back to back`,
    title:
      'when amendments arrive in a burst while provinces concretize and then a revocation follows then every open assignment carries the last version, none is lost or duplicated, and all end REVOKED or COMPLETED',
  },
  async (stack, tree, rec) => {
    const problems: string[] = [];
    const provinces = tree.recipients.filter((u) => u.parentCode === tree.issuerCode).map((u) => u.code);
    const communes = tree.recipients.filter((u) => u.parentCode !== tree.issuerCode).map((u) => u.code);
    const units = tree.recipients.map((u) => u.code);
    rec.units = units.length;
    const tokens = await issueTokens(stack, units);

    rec.mark('issue');
    const directiveId = await issueDirective(stack, tree, relayPolicy({ concretizeLevels: ['province'] }), 'BURST');
    const progress = new Progress(stack, directiveId, units.length);
    try {
      await progress.until((p) => p.delivered >= provinces.length, 'delivery to the provinces', 5 * 60_000);

      // Burst 1: provinces acknowledge and concretize, all at once, while amendments arrive.
      const held = new Set(communes.filter((_, i) => i % 10 === 0));
      const communeAcks = new UnitActions(stack, directiveId, communes.filter((c) => !held.has(c)), acknowledge(stack, directiveId, tokens), 12);
      const concretizing = pool(provinces, provinces.length, (p) => ackAndConcretize(stack, directiveId, p, tokens.get(p)!));
      rec.mark('burst1');
      const burstFrom = Date.now();
      const amendments: Answer[] = [];
      for (let n = 1; n <= AMENDMENTS; n++) {
        await sleep(n === 1 ? 500 : 1500);
        amendments.push(await amend(stack, directiveId, n));
      }
      rec.fault('amendment burst', `${AMENDMENTS} amendments, 1.5 s apart, while ${provinces.length} provinces concretize`, Date.now() - burstFrom);
      const concretized = await concretizing;
      rec.duration('concretize', 'burst1');
      rec.figures.amendmentsAccepted = amendments.filter((a) => a.status < 300).length;
      for (const a of amendments) if (a.status >= 300) problems.push(`an amendment answered ${a.status} ${errorMessage(a)}`);
      rec.figures.provincesConcretized = concretized.filter((c) => c.status < 300).length;
      rec.figures.provinceRounds = concretized.reduce((n, c) => n + c.rounds, 0);
      concretized.forEach((c, i) => {
        if (c.status >= 300) problems.push(`${provinces[i]} could not concretize: ${c.status} ${errorMessage(c)}`);
      });

      await progress.until((p) => p.delivered >= units.length, 'delivery to every commune', 20 * 60_000);
      rec.durationsMs.delivery = rec.elapsed();
      await communeAcks.done;
      rec.figures.acksAccepted = communeAcks.accepted;
      const lost = await lostActions(stack, directiveId, communeAcks, (r) => r.ackVersion >= 1);
      rec.figures.acksLost = lost.length;
      if (lost.length) problems.push(`${lost.length} acknowledgements answered 2xx are not in the read model: ${JSON.stringify(lost.slice(0, 5))}`);

      // The last version must have reached every open assignment (settles within a minute).
      const version = AMENDMENTS + 1;
      const stale = await waitFor(
        () =>
          stack.db.assignment.findMany({
            where: { directiveId, stage: { notIn: ['COMPLETED', 'REVOKED', 'FAILED'] }, directiveVersion: { lt: version } },
            select: { unitCode: true, directiveVersion: true },
          }),
        (rows) => rows.length === 0,
        'every open assignment at the last version',
        60_000,
        2000,
      ).catch(() =>
        stack.db.assignment.findMany({
          where: { directiveId, stage: { notIn: ['COMPLETED', 'REVOKED', 'FAILED'] }, directiveVersion: { lt: version } },
          select: { unitCode: true, directiveVersion: true },
        }),
      );
      rec.figures.amendmentMissed = stale.length;
      if (stale.length) problems.push(`${stale.length} open assignments missed an amendment: ${JSON.stringify(stale.slice(0, 5))}`);
      problems.push(...(await verifyCascade(stack, directiveId, rec, { units, phase: 'open', expectDelivery: false, expectClosed: false })));

      // Burst 2: everyone who owes an acknowledgement acknowledges while one more amendment and the revocation land.
      const owing = await stack.db.assignment.findMany({
        where: { directiveId, stage: { notIn: ['COMPLETED', 'REVOKED', 'FAILED'] } },
        select: { unitCode: true },
      });
      rec.mark('burst2');
      const burst2From = Date.now();
      const reacks = new UnitActions(stack, directiveId, owing.map((r) => r.unitCode), acknowledge(stack, directiveId, tokens, 2), 16);
      await sleep(1000);
      const lastAmendment = await amend(stack, directiveId, AMENDMENTS + 1);
      const revoked = await stack.api.callUntilFinal('POST', `/api/v1/directives/${directiveId}/revoke`, {
        body: { reason: 'thu hồi sau đợt sửa đổi' },
        idempotencyKey: `revoke-${directiveId}`,
      });
      rec.fault('amend + revoke', `1 amendment then the revocation, back to back, while ${owing.length} units acknowledge`, Date.now() - burst2From);
      if (lastAmendment.status >= 300) problems.push(`the last amendment answered ${lastAmendment.status} ${errorMessage(lastAmendment)}`);
      if (revoked.status >= 300) problems.push(`the revocation answered ${revoked.status} ${errorMessage(revoked)}`);
      await reacks.done;
      rec.figures.reacksAccepted = reacks.accepted;
      rec.figures.reacksRefused = reacks.total - reacks.accepted;
      await waitForRootClosed(stack, directiveId, 15 * 60_000).catch((err: Error) => problems.push(err.message));
      rec.duration('close', 'burst2');

      const open = await stack.db.assignment.count({ where: { directiveId, stage: { notIn: ['COMPLETED', 'REVOKED'] } } });
      rec.figures.notClosedAfterRevoke = open;
      if (open) problems.push(`${open} assignments neither REVOKED nor COMPLETED after the revocation`);
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
      await progress.stop();
    }
  },
);
