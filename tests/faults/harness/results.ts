/**
 * The figures of a fault case, appended as one JSON line to .data/faults/results.jsonl;
 * tests/faults/report.ts renders the latest run as the table in RELIABILITY.md.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProgressRecord } from './recovery';

export const RESULTS_FILE = path.resolve(__dirname, '..', '..', '..', '.data', 'faults', 'results.jsonl');

export interface FaultEvent {
  kind: string;
  /** ms since the case started, when the fault ended (the component was back) */
  atMs: number;
  detail: string;
  /** How long the component was away, when it was stopped. */
  downMs?: number;
}

export interface CaseResult {
  run: string;
  suite: 'slow' | 'fast';
  case: string;
  title: string;
  startedAt: string;
  /** `load`: the 1-minute load average when the case started and when it ended (other work shares the cores). */
  machine: { cpus: number; memGiB: number; node: string; load?: [number, number] };
  units: number;
  /** Worker processes on the task queue (the one the cases kill and its peers). */
  workers?: number;
  faults: FaultEvent[];
  durationsMs: Record<string, number>;
  figures: Record<string, number>;
  /** Examples of what went wrong, for the report's notes. */
  findings: string[];
  passed: boolean;
  /** Deliveries plus acknowledgements over time (cases that sample them), for "recovery s". */
  progress?: ProgressRecord;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** Collects a case's faults, timings and figures, and writes them once at the end. */
export class CaseRecorder {
  private readonly t0 = Date.now();
  private readonly loadAtStart = os.loadavg()[0]!;
  private readonly marks = new Map<string, number>();
  readonly faults: FaultEvent[] = [];
  readonly durationsMs: Record<string, number> = {};
  readonly figures: Record<string, number> = {};
  readonly findings: string[] = [];
  units = 0;
  workers: number | undefined;
  progress: ProgressRecord | undefined;

  constructor(
    readonly suite: 'slow' | 'fast',
    readonly name: string,
    readonly title: string,
  ) {}

  elapsed(): number {
    return Date.now() - this.t0;
  }

  fault(kind: string, detail: string, downMs?: number): void {
    this.faults.push({ kind, atMs: this.elapsed(), detail, ...(downMs !== undefined ? { downMs } : {}) });
  }

  mark(name: string): void {
    this.marks.set(name, Date.now());
  }

  /** Records the time from mark `from` to now as `name`. */
  duration(name: string, from: string): void {
    const start = this.marks.get(from) ?? this.t0;
    this.durationsMs[name] = Date.now() - start;
  }

  note(finding: string): void {
    this.findings.push(finding);
  }

  write(passed: boolean): CaseResult {
    const result: CaseResult = {
      run: process.env.FAULT_RUN_ID ?? `adhoc-${new Date(this.t0).toISOString()}`,
      suite: this.suite,
      case: this.name,
      title: this.title,
      startedAt: new Date(this.t0).toISOString(),
      machine: {
        cpus: os.cpus().length,
        memGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        load: [round1(this.loadAtStart), round1(os.loadavg()[0]!)],
      },
      units: this.units,
      ...(this.workers !== undefined ? { workers: this.workers } : {}),
      faults: this.faults,
      durationsMs: { ...this.durationsMs, total: this.elapsed() },
      figures: this.figures,
      findings: this.findings,
      passed,
      ...(this.progress ? { progress: this.progress } : {}),
    };
    fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    fs.appendFileSync(RESULTS_FILE, JSON.stringify(result) + '\n');
    return result;
  }
}
