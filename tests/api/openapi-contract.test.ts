/**
 * The OpenAPI document says exactly what the server enforces: every request body
 * required, every string, array, map and number a client may send bounded, the either-or
 * rules of the policy, and the statuses every route can answer. schemathesis
 * (tests/api/schemathesis.test.ts) checks the server against the document; this checks the
 * document has no hole for it to fall through.
 */
import crypto from 'node:crypto';
import { openApiDocument } from '../../api/openapi';
import { routeGroups } from '../../api/routes';
import { keys } from '../../contract/ids';

type Schema = Record<string, unknown>;
interface Operation {
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; schema: Schema }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  responses: Record<string, { headers?: Record<string, unknown> }>;
}

const doc = openApiDocument(routeGroups) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ label: `${method.toUpperCase()} ${path}`, op })),
);

const resolve = (s: Schema): Schema => {
  const ref = s.$ref as string | undefined;
  return ref ? resolve(doc.components.schemas[ref.split('/').pop()!]!) : s;
};

/**
 * Where a request schema lets a client send something unbounded: strings, arrays and maps
 * everywhere, numbers in parameters (a number in a JSON body costs no more when larger).
 */
function holes(schema: Schema, at: string, seen = new Set<Schema>()): string[] {
  const s = resolve(schema);
  if (seen.has(s)) return [];
  seen.add(s);
  const out: string[] = [];
  const types = ([] as unknown[]).concat(s.type ?? []);
  if (
    types.includes('string') &&
    s.maxLength === undefined &&
    !s.enum &&
    !s.format &&
    s.const === undefined
  ) {
    out.push(`${at}: string without maxLength`);
  }
  const inBody = / body/.test(at);
  if (
    !inBody &&
    (types.includes('integer') || types.includes('number')) &&
    s.maximum === undefined &&
    s.exclusiveMaximum === undefined
  ) {
    out.push(`${at}: number without maximum`);
  }
  if (types.includes('array')) {
    if (s.maxItems === undefined) out.push(`${at}: array without maxItems`);
    if (s.items) out.push(...holes(s.items as Schema, `${at}[]`, seen));
  }
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    if (s.maxProperties === undefined) out.push(`${at}: map without maxProperties`);
    if (s.propertyNames === undefined) out.push(`${at}: map without propertyNames`);
    else out.push(...holes(s.propertyNames as Schema, `${at}{key}`, seen));
    out.push(...holes(s.additionalProperties as Schema, `${at}{}`, seen));
  }
  for (const [name, p] of Object.entries((s.properties ?? {}) as Record<string, Schema>))
    out.push(...holes(p, `${at}.${name}`, seen));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    for (const [i, p] of ((s[key] ?? []) as Schema[]).entries())
      out.push(...holes(p, `${at}|${key}${i}`, seen));
  }
  return out;
}

test('when a route takes a body then the document marks it required', () => {
  const optional = operations
    .filter(({ op }) => op.requestBody && op.requestBody.required !== true)
    .map((o) => o.label);
  expect(optional).toEqual([]);
});

test('when a client sends a string, array, map or number then the document bounds it', () => {
  const found = operations.flatMap(({ label, op }) => [
    ...(op.parameters ?? []).flatMap((p) => holes(p.schema, `${label} ${p.in}.${p.name}`)),
    ...Object.values(op.requestBody?.content ?? {}).flatMap((c) =>
      holes(c.schema, `${label} body`),
    ),
  ]);
  expect(found).toEqual([]);
});

test('when free text is sent then the document forbids NUL, as the server does', () => {
  const report = resolve(doc.components.schemas.Report!) as { properties: Record<string, Schema> };
  expect(report.properties.summary!.pattern).toBe('^[^\\u0000]*$');
  // Map keys are text too (a report's metric names).
  expect((resolve(report.properties.metrics!).propertyNames as Schema).pattern).toBe(
    '^[^\\u0000]*$',
  );
});

test('when the policy is read then its either-or rules are in the document', () => {
  const policy = resolve(doc.components.schemas.Policy!);
  const rules = JSON.stringify(policy.allOf);
  expect(rules).toContain('{"not":{"required":["reportDueAt","reportEvery"]}}');
  expect(rules).toContain('{"required":["reportEvery","until"]}');
});

test('when a route can answer an error then the document lists the status', () => {
  const missing = operations.flatMap(({ label, op }) => {
    const statuses = Object.keys(op.responses);
    const want = [
      ...(label.endsWith(' /health') ? ['503'] : ['429']),
      ...(op.security ? ['401', '403', '503'] : []),
      ...(op.requestBody ? ['400', '413', '415'] : []),
      ...((op.parameters ?? []).some((p) => p.in === 'path') ? ['404'] : []),
      ...((op.parameters ?? []).some((p) => p.name === 'Idempotency-Key') ? ['409', '422'] : []),
    ];
    return want.filter((s) => !statuses.includes(s)).map((s) => `${label} ${s}`);
  });
  expect(missing).toEqual([]);
  for (const { op } of operations.filter(({ label }) => !label.endsWith(' /health'))) {
    expect(op.responses['429']!.headers).toHaveProperty('Retry-After');
  }
});

test('when the API hands out a directive id or a unit code then every path parameter that takes it accepts it', () => {
  const cascade = crypto.randomUUID();
  const handedOut: Record<string, string[]> = {
    // GET /directives lists cascades and implementing documents; the unit views name both.
    id: [
      cascade,
      keys.implementingDirective(cascade, 'STTTT-VP'),
      keys.implementingDirective(cascade, 'HN_01.x'),
    ],
    code: ['TTCS', 'STTTT-VP', 'HN_01.x'],
  };
  const refused = operations.flatMap(({ label, op }) =>
    (op.parameters ?? [])
      .filter((p) => p.in === 'path' && handedOut[p.name] && !label.includes('/tokens/{id}'))
      .flatMap((p) => {
        const pattern = new RegExp(p.schema.pattern as string, 'u');
        const max = p.schema.maxLength as number;
        return handedOut[p.name]!.filter((v) => !pattern.test(v) || v.length > max).map(
          (v) => `${label} ${p.name}=${v}`,
        );
      }),
  );
  expect(refused).toEqual([]);
});

test('when a rule spans fields then the document states it where a client reads the field', () => {
  const describe = (s: Schema | undefined) => String(resolve(s ?? {}).description ?? '');
  const list = operations.find(({ label }) => label === 'GET /api/v1/directives')!.op;
  expect(describe(list.parameters!.find((p) => p.name === 'to')!.schema)).toMatch(
    /Not before `from`/,
  );
  const units = resolve(doc.components.schemas.UnitsUpsert!) as {
    properties: { units: { items: Schema } };
  };
  const unit = resolve(units.properties.units.items) as { properties: Record<string, Schema> };
  expect(describe(unit.properties.parentCode)).toMatch(/Not the unit's own code/);
  const policy = resolve(doc.components.schemas.Policy!) as { properties: Record<string, Schema> };
  expect(describe(policy.properties.escalation)).toMatch(/CASCADE_MIN_LADDER_STEP/);
});

test('when an answer hands out ids then its links lead to operations that take them, every path parameter filled', () => {
  const byId = new Map(
    operations.map(({ op }) => [(op as { operationId?: string }).operationId, op]),
  );
  const links = operations.flatMap(({ label, op }) =>
    Object.values(op.responses).flatMap((r) =>
      Object.entries(
        (
          r as {
            links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
          }
        ).links ?? {},
      ).map(([name, link]) => ({ at: `${label} ${name}`, link })),
    ),
  );
  // GET /directives hands out implementing documents' ids too; unit actions hand out both.
  expect(links.map((l) => l.at)).toEqual(
    expect.arrayContaining([
      'GET /api/v1/directives Directive',
      'POST /api/v1/directives/{id}/units/{code}/concretize ImplementingDocument',
    ]),
  );
  const broken = links.flatMap(({ at, link }) => {
    const target = byId.get(link.operationId);
    if (!target) return [`${at}: no operation ${link.operationId}`];
    const wanted = (target.parameters ?? [])
      .filter((p) => p.in === 'path')
      .map((p) => p.name)
      .sort();
    const given = Object.keys(link.parameters).sort();
    return JSON.stringify(wanted) === JSON.stringify(given)
      ? []
      : [`${at}: fills ${given.join(',')} of ${wanted.join(',')}`];
  });
  expect(broken).toEqual([]);
});
