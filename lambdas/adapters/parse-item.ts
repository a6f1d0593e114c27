import type * as z from 'zod';

/**
 * A DynamoDB item that does not have the shape its table promises: written by hand, by an
 * older version, or cut short. The message names the table and the item's key, never the
 * values, which may hold an address.
 */
export class MalformedItemError extends Error {
  constructor(
    readonly table: string,
    readonly key: Record<string, unknown>,
    problems: string,
  ) {
    super(
      `The item ${JSON.stringify(key)} in the DynamoDB table ${table} is malformed (${problems}): ` +
        'correct or delete that item.',
    );
    this.name = 'MalformedItemError';
  }
}

/**
 * Checks an item read from `table` against `schema`.
 * @param keyNames the table's key attributes, to name the item in the error
 * @throws MalformedItemError when the item does not match
 */
export function parseItem<T>(
  schema: z.ZodType<T>,
  item: Record<string, unknown>,
  table: string,
  keyNames: readonly string[],
): T {
  const result = schema.safeParse(item);
  if (result.success) return result.data;
  const key = Object.fromEntries(keyNames.map((name) => [name, item[name]]));
  const problems = result.error.issues
    .map((issue) => `${issue.path.map(String).join('.') || 'item'}: ${issue.message}`)
    .join('; ');
  throw new MalformedItemError(table, key, problems);
}
