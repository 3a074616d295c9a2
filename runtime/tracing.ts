/**
 * OpenTelemetry traces: one tracer provider per process, registered globally (async-hooks
 * context, W3C `traceparent` propagation), exporting over OTLP/HTTP when
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set.
 *
 * Unset, the provider still gives every API request a trace id (and continues one a proxy
 * sent), so that its log lines carry it, but records nothing for export, and the Temporal
 * interceptors stay out: workflows and activities run exactly as without tracing.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanProcessor } from '@opentelemetry/sdk-trace-node';
import type { Config } from './config';

export interface Tracing {
  /** Where finished spans go; undefined when nothing is exported. */
  readonly spanProcessor?: SpanProcessor;
  readonly resource: Resource;
  /** Flushes what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  serviceName: string;
  /** Replaces the OTLP exporter (tests: an in-memory exporter). */
  spanProcessor?: SpanProcessor;
}

/** Builds and registers the process's tracer provider. */
export function startTracing(config: Pick<Config, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_SERVICE_NAME'>, opts: TracingOptions): Tracing {
  const resource = new Resource({ 'service.name': config.OTEL_SERVICE_NAME ?? opts.serviceName });
  const endpoint = config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const spanProcessor = opts.spanProcessor ?? (endpoint ? new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint })) : undefined);
  const provider = new NodeTracerProvider({ resource, spanProcessors: spanProcessor ? [spanProcessor] : [] });
  provider.register();
  return {
    spanProcessor,
    resource,
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
