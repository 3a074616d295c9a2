/**
 * The API's /metrics: the process's metrics (api/metrics/process-metrics.ts), the request
 * metrics and the business metrics, in Prometheus's text format. Served before the rate
 * limits and without a token, like /health: Prometheus scrapes it from inside the network,
 * and a reverse proxy in front of the API must not publish it (docs/operations.md).
 */
import type { RequestHandler } from 'express';
import { Registry } from 'prom-client';
import type { Db } from '../../read-model/db';
import { businessMetrics } from './business-metrics';
import { httpMetrics } from './http-metrics';
import { processMetrics } from './process-metrics';

export interface ApiMetrics {
  /** Times every request; mount first. */
  track: RequestHandler;
  /** Answers GET /metrics. */
  serve: RequestHandler;
}

export function apiMetrics(db: Db, opts: { businessCacheMs: number }): ApiMetrics {
  const registry = new Registry();
  const { middleware } = httpMetrics(registry);
  businessMetrics(registry, db, opts.businessCacheMs);
  const all = Registry.merge([processMetrics(), registry]);
  return {
    track: middleware,
    serve: (_req, res, next) => {
      all.metrics().then((text) => {
        res.set('Content-Type', all.contentType);
        res.send(text);
      }, next);
    },
  };
}
