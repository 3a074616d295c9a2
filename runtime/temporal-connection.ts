/**
 * How the API (and anything else using Temporal's client) connects to Temporal: the gRPC
 * channel's reconnect back-off is capped at TEMPORAL_RECONNECT_MAX_MS, so that after a
 * Temporal restart the client finds the server within that time (gRPC's own cap is 120 s,
 * which made a 15 s outage cost a client up to another 10 s).
 */
import type { ConnectionOptions } from '@temporalio/client';

export const TEMPORAL_RECONNECT_MAX_MS = 2_000;

export function temporalConnectionOptions(address: string): ConnectionOptions {
  return {
    address,
    channelArgs: {
      'grpc.initial_reconnect_backoff_ms': 500,
      'grpc.max_reconnect_backoff_ms': TEMPORAL_RECONNECT_MAX_MS,
    },
  };
}
