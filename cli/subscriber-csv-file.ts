import { readFile } from 'node:fs/promises';
import {
  formatSubscriberCsv,
  type ParsedSubscriberCsv,
  parseSubscriberCsv,
} from '#core/subscribers/parse-subscriber-csv.ts';
import type { Subscriber } from '#core/subscribers/ports.ts';

/** A subscriber file cannot be read as text. */
export class SubscriberFileError extends Error {
  override name = 'SubscriberFileError';
}

/** The CSV file of `subscribers import`: its text, and the core parser's reading of it. */
export interface SubscriberCsvFile {
  text: string;
  /** Bad rows are in it, by line. */
  parsed: ParsedSubscriberCsv;
}

/**
 * Reads and parses the CSV file of `subscribers import`.
 * @throws SubscriberFileError when the file cannot be read or is not UTF-8
 */
export async function readSubscriberCsv(file: string): Promise<SubscriberCsvFile> {
  const text = await readText(file);
  return { text, parsed: parseSubscriberCsv(text) };
}

/** Writes the subscribers to stdout as the CSV of `subscribers export`. */
export function writeSubscriberCsv(subscribers: Subscriber[]): void {
  process.stdout.write(formatSubscriberCsv(subscribers));
}

async function readText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new SubscriberFileError(`${file}: cannot be read (${(error as Error).message})`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new SubscriberFileError(`${file}: not UTF-8 text; save it as CSV UTF-8`);
  }
}
