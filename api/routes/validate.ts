/** Parsing helpers for routes: a ZodError thrown here becomes a 400 in the error handler. */
import type { z } from 'zod';

export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  return schema.parse(value ?? {});
}
