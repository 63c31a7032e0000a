import type { z } from 'zod';

/** One line naming the first bad field, e.g. `balances.ownAcctFen: expected a non-negative integer`. */
export function describeZodError(error: z.ZodError, root = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid input';
  const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Parse with a schema, or throw an InputError carrying the one-line description. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, root = ''): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new InputError(describeZodError(result.error, root));
  return result.data;
}

/** Bad input from outside (arguments, files, requests): a specific message, nothing changed. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export { readJsonFile } from './json-file';
