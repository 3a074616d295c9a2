/** The ids of the active OpenTelemetry span, for a log line (runtime/log.ts); none outside a trace. */
import { trace } from '@opentelemetry/api';

export function activeTraceIds(): { traceId?: string; spanId?: string } {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? { traceId: ctx.traceId, spanId: ctx.spanId } : {};
}
