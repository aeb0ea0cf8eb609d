import type { z } from 'zod';
import { type FieldErrors, ValidationError } from './errors';

/** Parses input with a zod schema; on failure throws a ValidationError of field → message key. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_form';
    fields[field] ??= issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
  }
  throw new ValidationError(fields);
}
