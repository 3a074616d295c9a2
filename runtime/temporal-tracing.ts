/**
 * The OpenTelemetry interceptors, on when spans are exported (runtime/tracing.ts): Temporal's
 * client interceptor carries the caller's trace into the workflow's headers (start, update,
 * signal); the workflows' own interceptors (workflows/tracing-interceptors.ts) record a span
 * for each update and signal and pass the trace on to the activities and children they
 * start, without changing a command; Temporal's activity interceptor opens a span around each
 * activity execution, so a read-model write shows in the request's trace.
 */
import { OpenTelemetryActivityInboundInterceptor, OpenTelemetryActivityOutboundInterceptor, OpenTelemetryWorkflowClientInterceptor, makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { Tracing } from './tracing';

/** The workflow interceptors' module, bundled with the workflows when tracing is on. */
export const workflowTracingInterceptorsModule = require.resolve('../workflows/tracing-interceptors');

/** Exporting tracing, or none. */
export type ExportingTracing = Tracing & { spanProcessor: NonNullable<Tracing['spanProcessor']> };

export function exporting(tracing: Tracing | undefined): ExportingTracing | undefined {
  return tracing?.spanProcessor ? (tracing as ExportingTracing) : undefined;
}

/** The client's interceptors: none when spans are not exported. */
export function tracingClientInterceptors(tracing: Tracing | undefined): ClientInterceptors | undefined {
  return exporting(tracing) ? { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } : undefined;
}

/** Worker options adding the activity interceptors and the sink that exports workflow spans. */
export function tracingWorkerOptions(tracing: ExportingTracing): Pick<WorkerOptions, 'interceptors' | 'sinks'> {
  return {
    interceptors: {
      activity: [
        (ctx) => ({
          inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
          outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
        }),
      ],
    },
    sinks: { exporter: makeWorkflowExporter(tracing.spanProcessor, tracing.resource) },
  };
}
