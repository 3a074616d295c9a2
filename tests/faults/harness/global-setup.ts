/**
 * Names this run of the slow suite, so the report renders its results together, and stops
 * what an earlier run of this clone left behind when it was killed outright (its dev
 * servers and PostgreSQL under .data/faults/, whose launching test process is gone).
 */
import fs from 'node:fs';
import path from 'node:path';
import { orphanFrom, stopProcess } from '../../../stack/orphans';
import { parentOf } from '../../../stack/process-tree';

const FAULTS_DIR = path.resolve(__dirname, '..', '..', '..', '.data', 'faults');

async function stopLeftovers(): Promise<void> {
  if (!fs.existsSync(FAULTS_DIR)) return;
  for (const dir of fs.readdirSync(FAULTS_DIR)) {
    const caseDir = path.join(FAULTS_DIR, dir);
    if (!fs.statSync(caseDir).isDirectory()) continue;
    for (const file of fs.readdirSync(caseDir).filter((f) => /^temporal-\d+\.pid$/.test(f))) {
      try {
        const orphan = orphanFrom(path.join(caseDir, file));
        if (orphan !== null) await stopProcess(orphan, 'SIGTERM');
      } catch {
        // launched by a run still going: not ours to stop
      }
    }
    const postmasterPid = path.join(caseDir, 'postgres', 'postmaster.pid');
    if (fs.existsSync(postmasterPid)) {
      const pid = Number(fs.readFileSync(postmasterPid, 'utf8').split('\n')[0]);
      // Its helper (the test's child) is gone when the postmaster was handed to init.
      if (pid > 0 && parentOf(pid) === 1) await stopProcess(pid, 'SIGINT');
    }
  }
}

export default async function globalSetup(): Promise<void> {
  process.env.FAULT_RUN_ID ??= `run-${new Date().toISOString()}`;
  await stopLeftovers();
}
