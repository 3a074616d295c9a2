/**
 * One OpenTelemetry server span per request, continuing the caller's trace when a
 * `traceparent` header came (a proxy's), active for everything the request does: the
 * Temporal client's interceptor carries it into the workflow the request starts or
 * updates, and the log lines of the request carry its trace id (runtime/log.ts). Named by
 * the route template once the route is known, never by a concrete path.
 */
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routeTemplateOf } from '../metrics/http-metrics';

export function traceRequest(): RequestHandler {
  const tracer = trace.getTracer('directive-cascade-api');
  return (req, res, next) => {
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(req.method, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent);
    if (trace.isSpanContextValid(span.spanContext())) res.locals.traceId = span.spanContext().traceId;
    res.on('finish', () => {
      const route = routeTemplateOf(req, res);
      span.updateName(`${req.method} ${route}`);
      span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    });
    context.with(trace.setSpan(parent, span), next);
  };
}
