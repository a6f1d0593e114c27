import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * What the local scheduler of `newsletter serve` keeps between runs of serve, so that runs
 * missed while serve was down can be told at its next start.
 */
export interface ScheduleRecord {
  /** The expression and zone these times are of. */
  expression: string;
  timeZone: string;
  /**
   * Where a rate expression counts from (ISO 8601): when serve first ran this schedule, as
   * EventBridge counts from the schedule's creation.
   */
  anchor: string;
  /** Every run up to here (ISO 8601) was made, or told as missed. */
  accountedThrough: string;
  /** The last run made (ISO 8601); absent before the first. */
  lastRunAt?: string;
}

/** The file, in the state folder, of the schedule record. */
export const SCHEDULE_RECORD_FILE = 'schedule.json';

/** The record in `stateDir`, or undefined when there is none or it cannot be read as one. */
export async function readScheduleRecord(stateDir: string): Promise<ScheduleRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(stateDir, SCHEDULE_RECORD_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const record = JSON.parse(text) as Partial<ScheduleRecord>;
    const times = [record.anchor, record.accountedThrough];
    const valid =
      typeof record.expression === 'string' &&
      typeof record.timeZone === 'string' &&
      times.every((time) => typeof time === 'string' && !Number.isNaN(Date.parse(time)));
    return valid ? (record as ScheduleRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces the record in `stateDir` atomically. */
export async function writeScheduleRecord(stateDir: string, record: ScheduleRecord): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const recordPath = path.join(stateDir, SCHEDULE_RECORD_FILE);
  const draftPath = `${recordPath}.${randomUUID()}.tmp`;
  await writeFile(draftPath, `${JSON.stringify(record, null, 2)}\n`);
  await rename(draftPath, recordPath);
}
