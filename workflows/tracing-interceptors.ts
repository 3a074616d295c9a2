/**
 * Workflow interceptors for traces (bundled only when spans are exported: worker/create-worker.ts).
 *
 * Two things rule out Temporal's own OpenTelemetry workflow interceptors here. They await
 * around every handler and outbound call, and those extra steps reorder what a workflow does
 * when an Update arrives while it starts children: the production history `ack-during-fanout`
 * failed to replay with them. And they load the OpenTelemetry SDK into every workflow's
 * sandbox (modules are per workflow), which with a thousand cached workflows ran the worker's
 * workflow thread out of heap.
 *
 * These load nothing: the trace travels as Temporal's trace header (`_tracer-data`, a W3C
 * `traceparent` that the client and activity interceptors read and write). An Update or a
 * signal opens a span, recorded by hand and exported through the `exporter` sink when its
 * handler settles; what the workflow schedules while it runs (activities, children, signals)
 * carries that span as parent. The handler's own promise is returned untouched and outbound
 * calls only gain the header in the same synchronous call, so the commands are exactly those
 * of a workflow without tracing. Nothing is recorded while a workflow replays, and span ids
 * come from a counter, never from the workflow's seeded Math.random.
 */
import type { Headers, Payload } from '@temporalio/common';
import { decode, encode } from '@temporalio/common/lib/encoding';
import { proxySinks, workflowInfo, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The header Temporal's OpenTelemetry interceptors use (a JSON payload of W3C trace fields). */
const TRACE_HEADER = '_tracer-data';

interface TraceParent {
  traceId: string;
  spanId: string;
  flags: string;
}

/** A finished span as the `exporter` sink takes it (makeWorkflowExporter turns it into a ReadableSpan). */
interface SerializedSpan {
  name: string;
  kind: number;
  spanContext: { traceId: string; spanId: string; traceFlags: number };
  parentSpanId: string;
  startTime: [number, number];
  endTime: [number, number];
  duration: [number, number];
  status: { code: number; message?: string };
  attributes: Record<string, string>;
  links: never[];
  events: never[];
  ended: true;
  droppedAttributesCount: 0;
  droppedEventsCount: 0;
  droppedLinksCount: 0;
  instrumentationLibrary: { name: string };
}
interface ExporterSinks extends Sinks {
  exporter: { export(spans: SerializedSpan[]): void };
}


function parse(payload: Payload | undefined): TraceParent | undefined {
  if (!payload?.data) return undefined;
  try {
    const fields = JSON.parse(decode(payload.data)) as { traceparent?: string };
    const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(fields.traceparent ?? '');
    return m ? { traceId: m[1]!, spanId: m[2]!, flags: m[3]! } : undefined;
  } catch {
    return undefined;
  }
}

function payloadOf(tp: TraceParent): Payload {
  return {
    metadata: { encoding: encode('json/plain') },
    data: encode(JSON.stringify({ traceparent: `00-${tp.traceId}-${tp.spanId}-${tp.flags}` })),
  };
}

const hrTime = (ms: number): [number, number] => [Math.floor(ms / 1000), (ms % 1000) * 1e6];

export const interceptors: WorkflowInterceptorsFactory = () => {
  /** The trace what the workflow schedules now belongs to: the message being handled, or its start. */
  let current: TraceParent | undefined;
  let spans = 0;
  const spanId = () => {
    spans += 1;
    const run = workflowInfo().runId.replace(/[^0-9a-f]/gi, '').toLowerCase().padEnd(8, '0');
    return `${run.slice(-8)}${spans.toString(16).padStart(8, '0')}`;
  };
  const withTrace = (headers: Headers): Headers => (current ? { ...headers, [TRACE_HEADER]: payloadOf(current) } : headers);

  /** Runs a handler inside the trace its message carries, under a span of its own when live. */
  const traced = <T>(name: string, headers: Headers, run: () => Promise<T>): Promise<T> => {
    const parent = parse(headers[TRACE_HEADER]) ?? current;
    if (!parent || workflowInfo().unsafe.isReplaying) return run();
    const mine: TraceParent = { ...parent, spanId: spanId() };
    const before = current;
    const start = Date.now();
    // Until the handler settles, what the workflow schedules belongs to this message (or to a
    // later one: the sandbox has no async context to tell concurrent handlers apart).
    current = mine;
    const result = run();
    const finish = (error?: unknown) => {
      if (current === mine) current = before;
      const end = Math.max(Date.now(), start);
      const info = workflowInfo();
      proxySinks<ExporterSinks>().exporter.export([
        {
          name,
          kind: 0,
          spanContext: { traceId: mine.traceId, spanId: mine.spanId, traceFlags: parseInt(mine.flags, 16) },
          parentSpanId: parent.spanId,
          startTime: hrTime(start),
          endTime: hrTime(end),
          duration: hrTime(end - start),
          status: error === undefined ? { code: 1 } : { code: 2, message: error instanceof Error ? error.message : String(error) },
          attributes: { temporalWorkflowId: info.workflowId, temporalRunId: info.runId },
          links: [],
          events: [],
          ended: true,
          droppedAttributesCount: 0,
          droppedEventsCount: 0,
          droppedLinksCount: 0,
          instrumentationLibrary: { name: 'directive-cascade-workflow' },
        },
      ]);
    };
    result.then(
      () => finish(),
      (err: unknown) => finish(err),
    );
    return result;
  };

  return {
    inbound: [
      {
        // The workflow's whole life runs in its starter's trace, without a span of its own:
        // a span open for the weeks a unit takes would never reach a tracing backend whole.
        execute: (input, next) => {
          current = parse(input.headers[TRACE_HEADER]);
          return next(input);
        },
        handleUpdate: (input, next) => traced(`HandleUpdate:${input.name}`, input.headers, () => next(input)),
        handleSignal: (input, next) => traced(`HandleSignal:${input.signalName}`, input.headers, () => next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next({ ...input, headers: withTrace(input.headers) }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: withTrace(input.headers) }),
        startChildWorkflowExecution: (input, next) => next({ ...input, headers: withTrace(input.headers) }),
        signalWorkflow: (input, next) => next({ ...input, headers: withTrace(input.headers) }),
        continueAsNew: (input, next) => next({ ...input, headers: withTrace(input.headers) }),
      },
    ],
  };
};
