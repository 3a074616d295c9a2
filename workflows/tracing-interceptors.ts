/**
 * Workflow interceptors for traces (bundled only when spans are exported: worker/create-worker.ts).
 *
 * Temporal's own OpenTelemetry workflow interceptors await around every handler and every
 * outbound call; those extra steps reorder what a workflow does when an Update arrives while
 * it starts children, and the recorded history `ack-during-fanout` then fails to replay
 * (tests/replay.test.ts). These add no step: an inbound call runs inside the caller's trace
 * (its span opened and closed beside the handler's promise, not awaited), and an outbound call
 * only gains the trace header, in the same synchronous call. The commands stay exactly those
 * of a workflow without tracing.
 *
 * Spans are made only when a workflow runs live, never when it replays, and their ids come
 * from a counter of their own, so the workflow's seeded Math.random is never drawn from.
 */
import '@temporalio/interceptors-opentelemetry/lib/workflow/runtime';
import * as otel from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor, type IdGenerator } from '@opentelemetry/sdk-trace-base';
import { extractContextFromHeaders, headersWithContext } from '@temporalio/interceptors-opentelemetry/lib/instrumentation';
import { ContextManager } from '@temporalio/interceptors-opentelemetry/lib/workflow/context-manager';
import { SpanExporter } from '@temporalio/interceptors-opentelemetry/lib/workflow/span-exporter';
import type { Headers } from '@temporalio/common';
import { workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** Span ids from the run id and a counter (trace ids are always the caller's). */
class CountingIds implements IdGenerator {
  private next = 0;
  generateTraceId(): string {
    return `${this.runHex()}${this.runHex()}`.slice(0, 32);
  }
  generateSpanId(): string {
    this.next += 1;
    return `${this.runHex().slice(0, 8)}${this.next.toString(16).padStart(8, '0')}`;
  }
  private runHex(): string {
    return workflowInfo().runId.replace(/[^0-9a-f]/gi, '').padEnd(32, '0').slice(0, 32).toLowerCase();
  }
}

let tracer: otel.Tracer | undefined;
let contextManager: ContextManager | undefined;
function getTracer(): otel.Tracer {
  if (!tracer) {
    const provider = new BasicTracerProvider({ idGenerator: new CountingIds() });
    provider.addSpanProcessor(new SimpleSpanProcessor(new SpanExporter()));
    contextManager = new ContextManager();
    provider.register({ contextManager });
    tracer = provider.getTracer('directive-cascade-workflow');
  }
  return tracer;
}

/**
 * Runs `run` inside the trace the message's headers carry, under a span named `name` when
 * the workflow runs live; returns `run`'s own promise, so that nothing waits one more step.
 */
function traced<T>(name: string, headers: Headers, run: () => Promise<T>): Promise<T> {
  const parent = extractContextFromHeaders(headers) ?? otel.context.active();
  if (workflowInfo().unsafe.isReplaying) return otel.context.with(parent, run);
  const span = getTracer().startSpan(name, {}, parent);
  const result = otel.context.with(otel.trace.setSpan(parent, span), run);
  result.then(
    () => span.end(),
    (err: unknown) => {
      span.setStatus({ code: otel.SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
      span.end();
    },
  );
  return result;
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  getTracer();
  return {
    inbound: [
      {
        // The workflow's whole life runs in its starter's trace, without a span of its own:
        // a span open for the weeks a unit takes would never reach a tracing backend whole.
        execute: (input, next) => otel.context.with(extractContextFromHeaders(input.headers) ?? otel.context.active(), () => next(input)),
        handleUpdate: (input, next) => traced(`HandleUpdate:${input.name}`, input.headers, () => next(input)),
        handleSignal: (input, next) => traced(`HandleSignal:${input.signalName}`, input.headers, () => next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next({ ...input, headers: headersWithContext(input.headers) }),
        scheduleLocalActivity: (input, next) => next({ ...input, headers: headersWithContext(input.headers) }),
        startChildWorkflowExecution: (input, next) => next({ ...input, headers: headersWithContext(input.headers) }),
        signalWorkflow: (input, next) => next({ ...input, headers: headersWithContext(input.headers) }),
        continueAsNew: (input, next) => next({ ...input, headers: headersWithContext(input.headers) }),
      },
    ],
    internals: [
      {
        // The context manager's AsyncLocalStorage stays enabled until disabled, and every
        // enabled one is carried by every promise the thread makes afterwards: without this,
        // a worker's workflow thread ran out of heap within a thousand workflows.
        dispose: (input, next) => {
          contextManager?.disable();
          next(input);
        },
      },
    ],
  };
};
