import type * as z from 'zod';
import { ApiError } from './api-error.ts';

/**
 * `value` as `schema` reads it.
 * @throws ApiError 400 `invalid-input` naming the first field at fault by its JSON path
 *   (`to[1]`, `subscribers[0].email`) or query parameter
 */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  if (!issue) throw new ApiError(400, 'invalid-input', 'The request is not valid.');
  const { field, message } = describeIssue(issue);
  return invalid(field, message);
}

/** The field a zod issue is about, and what is wrong with it in words. */
export function describeIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    return { field: fieldPath([...issue.path, issue.keys[0] ?? '']), message: 'is not known here' };
  }
  const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message);
  return {
    field: fieldPath(issue.path),
    message: missing ? `is required (${issue.expected})` : issue.message,
  };
}

/** `to[1]`, `subscribers[0].email`: a path as the studio names a field. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text === '' ? String(key) : `.${String(key)}`;
  }
  return text;
}

/** @throws ApiError 400 `invalid-input` for `field` */
export function invalid(field: string, message: string): never {
  throw new ApiError(400, 'invalid-input', field === '' ? message : `${field}: ${message}`, {
    ...(field === '' ? {} : { field }),
  });
}
