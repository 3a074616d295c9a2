/**
 * One national directive in the read model without Temporal: the 2025 tree and a directive
 * from VN to its 3,355 units in a realistic mix of stages (overdue units, escalations, a few
 * incidents), the same on every run. Used by bench:dashboard and bench:metrics.
 */
import type { Db } from '../read-model/db';
import { upsertUnits } from '../read-model/units';
import { national2025Tree } from '../domain/units/national-2025-tree';

/** A deterministic pseudo-random sequence (mulberry32), so every run seeds the same cascade. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One directive from VN to every province and commune, in a realistic mix of stages. */
export async function seedNationalDirective(db: Db, id: string): Promise<number> {
  const units = national2025Tree();
  await upsertUnits(db, units);
  const now = Date.now();
  const issuedAt = new Date(now - 10 * 86_400_000);
  await db.directive.create({
    data: {
      id,
      number: `${id}/TTg`,
      kind: 'Chỉ thị',
      title: 'Triển khai Kết luận 70-KL/TW trên toàn quốc',
      issuerCode: 'VN',
      issuedAt,
      rootId: id,
      status: 'ACTIVE',
      recipients: [],
      basedOn: ['70-KL/TW'],
      policy: {
        ackWithin: 'P1D',
        concretizeWithin: 'P5D',
        escalation: [
          { after: 'PT0S', action: 'remind' },
          { after: 'P2D', action: 'notify_parent' },
          { after: 'P5D', action: 'escalate_to_issuer' },
        ],
        calendar: 'none',
      },
    },
  });
  const rnd = random(70);
  const provinces = units.filter((u) => u.parentCode === 'VN');
  const provinceIndex = new Map(provinces.map((p, i) => [p.code, i]));
  const assignments: Array<Record<string, unknown>> = [];
  const events: Array<Record<string, unknown>> = [];
  const escalations: Array<Record<string, unknown>> = [];
  const docs: Array<Record<string, unknown>> = [];
  const obligations: Array<Record<string, unknown>> = [];
  for (const u of units) {
    if (u.code === 'VN') continue;
    const isProvince = u.parentCode === 'VN';
    const aid = `${id}/${u.code}`;
    const pIdx = provinceIndex.get(isProvince ? u.code : u.parentCode!) ?? 0;
    const lateness = (pIdx % 7) / 12; // some provinces far more overdue than others
    let stage: string;
    let overdue = false;
    if (isProvince) {
      stage = 'FORWARDED';
      docs.push({
        id: `${id}~${u.code}`,
        number: `KH-${u.code}-${id}`,
        kind: 'Kế hoạch',
        title: `Kế hoạch thực hiện — ${u.name}`,
        issuerCode: u.code,
        issuedAt: new Date(now - 8 * 86_400_000),
        rootId: id,
        parentId: id,
        status: 'IMPLEMENTING',
        recipients: [],
        basedOn: [`${id}/TTg`],
      });
    } else {
      const r = rnd();
      stage =
        r < 0.45
          ? 'COMPLETED'
          : r < 0.55
            ? 'REPORTED'
            : r < 0.7
              ? 'ACKNOWLEDGED'
              : r < 0.995
                ? 'DELIVERED'
                : 'FAILED';
      overdue = (stage === 'DELIVERED' || stage === 'ACKNOWLEDGED') && rnd() < 0.3 + lateness;
    }
    const deadline = new Date(now + (overdue ? -1 : 1) * (1 + Math.floor(rnd() * 72)) * 3_600_000);
    const rung = overdue ? 1 + Math.floor(rnd() * 3) : 0;
    assignments.push({
      id: aid,
      directiveId: id,
      unitCode: u.code,
      level: u.level,
      depth: isProvince ? 1 : 2,
      parentAssignmentId: isProvince ? null : `${id}/${u.parentCode}`,
      parentUnitCode: u.parentCode,
      receivedDirectiveId: isProvince ? id : `${id}~${u.parentCode}`,
      implementingDirectiveId: isProvince ? `${id}~${u.code}` : null,
      stage,
      mustConcretize: isProvince,
      isLeaf: !isProvince,
      overdue,
      escalationRung: rung,
      waitingFor:
        stage === 'COMPLETED' || stage === 'FAILED'
          ? null
          : stage === 'DELIVERED'
            ? 'ack@1'
            : 'report#1',
      nextDeadline: stage === 'COMPLETED' || stage === 'FAILED' ? null : deadline,
      deliveredAt: new Date(now - 9 * 86_400_000),
      ...(stage === 'FAILED'
        ? { failedAt: new Date(now - 86_400_000), failureReason: 'bench: incident' }
        : {}),
    });
    const late = overdue || (stage === 'COMPLETED' && rnd() < lateness);
    // The acknowledgement every unit owes, with its official status (progress.official).
    const ackDeadline = new Date(now - 8 * 86_400_000);
    obligations.push({
      id: `${aid}/ack@1`,
      directiveId: id,
      ownerId: aid,
      unitCode: u.code,
      level: u.level,
      provinceCode: isProvince ? u.code : u.parentCode,
      kind: 'ack',
      key: 'ack@1',
      deadline: stage === 'DELIVERED' ? deadline : ackDeadline,
      doneAt:
        stage === 'DELIVERED' || stage === 'FAILED'
          ? null
          : new Date(ackDeadline.getTime() + (late ? 1 : -1) * 3_600_000),
    });
    if (late) {
      events.push({
        id: `${aid}#9`,
        directiveId: id,
        assignmentId: aid,
        unitCode: u.code,
        type: 'OVERDUE',
        at: deadline,
        data: { obligation: 'ack@1' },
      });
      for (let k = 1; k <= Math.max(rung, 1); k++) {
        escalations.push({
          id: `${aid}/ack@1/${deadline.toISOString()}/${k}`,
          directiveId: id,
          assignmentId: aid,
          unitCode: u.code,
          obligation: 'ack@1',
          rung: k,
          action: ['remind', 'notify_parent', 'escalate_to_issuer'][k - 1]!,
          targetUnitCode: k === 1 ? u.code : k === 2 ? u.parentCode : 'VN',
          deadline,
          firedAt: new Date(deadline.getTime() + (k - 1) * 3_600_000),
          resolvedAt: overdue ? null : new Date(now - 3_600_000),
        });
      }
    }
  }
  await db.directive.createMany({ data: docs as never });
  for (let i = 0; i < assignments.length; i += 2000)
    await db.assignment.createMany({ data: assignments.slice(i, i + 2000) as never });
  for (let i = 0; i < events.length; i += 2000)
    await db.timelineEvent.createMany({ data: events.slice(i, i + 2000) as never });
  for (let i = 0; i < escalations.length; i += 2000)
    await db.escalation.createMany({ data: escalations.slice(i, i + 2000) as never });
  for (let i = 0; i < obligations.length; i += 2000)
    await db.obligation.createMany({ data: obligations.slice(i, i + 2000) as never });
  await db.$executeRawUnsafe('ANALYZE');
  return assignments.length;
}
