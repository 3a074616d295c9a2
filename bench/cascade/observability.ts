/**
 * `--observability on`: what the cascade's metrics and traces cost. An OTLP sink in this
 * process (the API and the worker export spans to it over HTTP, as to a collector), a
 * scraper that reads every metrics endpoint every 5 s while delivery runs (as Prometheus
 * would, three times as often), and a burst of scrapes once the cascade is open, charging
 * each endpoint's process (and PostgreSQL, for the API's business counts) the CPU it spent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { treeCpuSeconds } from './measure';

/** One metrics endpoint and the process that serves it. */
export interface MetricsEndpoint {
  label: string;
  url: string;
  pid: () => number | undefined;
}

export interface OtlpSink {
  url: string;
  /** Export requests received, and their bytes. */
  received(): { requests: number; bytes: number };
  close(): Promise<void>;
}

/** Accepts OTLP/HTTP trace exports (any body, answered 200) and counts them. */
export async function startOtlpSink(): Promise<OtlpSink> {
  let requests = 0;
  let bytes = 0;
  const server = http.createServer((req, res) => {
    req.on('data', (chunk: Buffer) => (bytes += chunk.length));
    req.on('end', () => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    received: () => ({ requests, bytes }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The `q` quantile (0-1) of `values`, nearest rank; 0 when empty. */
function percentile(values: number[], q: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function scrapeOnce(url: string): Promise<{ ms: number; bytes: number }> {
  const t0 = process.hrtime.bigint();
  const res = await fetch(url);
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, bytes: text.length };
}

export interface ScrapeSummary {
  scrapes: number;
  p50Ms: number;
  maxMs: number;
  bytes: number;
  failed: number;
}

const summary = (ms: number[], bytes: number, failed: number): ScrapeSummary => ({
  scrapes: ms.length,
  p50Ms: Math.round(percentile(ms, 0.5) * 10) / 10,
  maxMs: Math.round(Math.max(0, ...ms) * 10) / 10,
  bytes,
  failed,
});

/** Scrapes every endpoint every `intervalMs` until stopped; the time each scrape took. */
export function startScraper(endpoints: MetricsEndpoint[], intervalMs = 5000): () => Promise<Record<string, ScrapeSummary>> {
  const samples = new Map(endpoints.map((e) => [e.label, { ms: [] as number[], bytes: 0, failed: 0 }]));
  const round = async () => {
    await Promise.all(
      endpoints.map(async (e) => {
        const s = samples.get(e.label)!;
        try {
          const r = await scrapeOnce(e.url);
          s.ms.push(r.ms);
          s.bytes = r.bytes;
        } catch {
          s.failed++;
        }
      }),
    );
  };
  let inFlight = round();
  const timer = setInterval(() => {
    inFlight = inFlight.then(round);
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await inFlight;
    return Object.fromEntries([...samples].map(([label, s]) => [label, summary(s.ms, s.bytes, s.failed)]));
  };
}

export interface BurstSummary extends ScrapeSummary {
  /** CPU the serving process spent per scrape (background work included: an upper bound). */
  cpuMsPerScrape: number;
  /** PostgreSQL's CPU per scrape in the same window (the API's business counts). */
  postgresCpuMsPerScrape: number;
}

/**
 * `n` scrapes of each endpoint one after another, with CPU read from /proc around them.
 * The business metrics are read anew on each (the API runs with BUSINESS_METRICS_CACHE_MS=0
 * here), so the API's figure is the cost without the cache.
 */
export async function scrapeBurst(endpoints: MetricsEndpoint[], postgresPid: () => number | undefined, n = 20): Promise<Record<string, BurstSummary>> {
  const out: Record<string, BurstSummary> = {};
  for (const e of endpoints) {
    const cpu0 = treeCpuSeconds(e.pid());
    const pg0 = treeCpuSeconds(postgresPid());
    const ms: number[] = [];
    let bytes = 0;
    let failed = 0;
    for (let i = 0; i < n; i++) {
      try {
        const r = await scrapeOnce(e.url);
        ms.push(r.ms);
        bytes = r.bytes;
      } catch {
        failed++;
      }
    }
    out[e.label] = {
      ...summary(ms, bytes, failed),
      cpuMsPerScrape: Math.round(((treeCpuSeconds(e.pid()) - cpu0) * 1000 * 10) / n) / 10,
      postgresCpuMsPerScrape: Math.round(((treeCpuSeconds(postgresPid()) - pg0) * 1000 * 10) / n) / 10,
    };
  }
  return out;
}
