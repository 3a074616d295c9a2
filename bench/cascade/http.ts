/**
 * HTTP calls to the API under measurement, timed, and the latency summary the report
 * prints (p50/p99 over every call, failed ones included: a client waited for those too).
 */
import type { BenchApi } from './stack';

/** One timed call. `status` 0 means the request itself failed (connection, timeout). */
export interface Timed {
  status: number;
  ms: number;
}

/** Sends one request with a bearer token and reads the whole answer. */
export async function timedCall(
  api: BenchApi,
  method: 'GET' | 'POST',
  pathAndQuery: string,
  token: string,
  body?: unknown,
): Promise<Timed> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${api.base}${pathAndQuery}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  } catch {
    return { status: 0, ms: performance.now() - t0 };
  }
}

/** Latencies of a series of calls. */
export interface LatencySummary {
  calls: number;
  /** Calls answered with anything but 2xx, or not answered. */
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

/** p50/p99/max in ms over `samples`; undefined when there are none. */
export function summarize(samples: Timed[]): LatencySummary | undefined {
  if (!samples.length) return undefined;
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]!;
  return {
    calls: samples.length,
    failed: samples.filter((s) => s.status < 200 || s.status >= 300).length,
    p50: Math.round(at(0.5)),
    p99: Math.round(at(0.99)),
    max: Math.round(ms[ms.length - 1]!),
  };
}

/** `p50 120 ms, p99 900 ms (1,234 calls, 0 failed)` */
export function latencyLine(s: LatencySummary | undefined): string {
  if (!s) return '–';
  return `p50 ${s.p50} ms, p99 ${s.p99} ms, max ${s.max} ms (${s.calls} calls, ${s.failed} failed)`;
}
