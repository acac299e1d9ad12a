import { z } from 'zod';

/**
 * The value types every feature's environment variables are made of. Each feature's `*-config.ts` pairs its
 * variables (a zod shape, with defaults) with the mapping to its typed section; env.schema.ts only composes them.
 */

/** `true/false`, `1/0`, `yes/no`. */
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const positiveInt = z.coerce.number().int().positive();
export const positiveNumber = z.coerce.number().positive();

/** Unset and empty both mean "not set" (compose files pass `VAR=` through). */
export const optionalUrl = z.preprocess((value) => (value === '' ? undefined : value), z.string().url().optional());
export const optionalName = z.preprocess((value) => (value === '' ? undefined : value), z.string().min(1).optional());

/** A comma-separated list, trimmed and lower-cased, without empty entries. */
export function lowerCaseList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}

/** Zod's issues as `VAR: problem` lines. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || 'env'}: ${issue.message}`);
}
