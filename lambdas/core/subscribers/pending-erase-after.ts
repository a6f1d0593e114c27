import { wholeSecond } from './subscription-deps.ts';

/**
 * Days past `pendingDays` after which the store deletes a sign-up by itself: the daily job
 * (`eraseStalePendings`) erases it first, so DynamoDB's time to live only acts when that job
 * has not run.
 */
export const ERASE_BACKSTOP_DAYS = 2;

const DAY_MS = 24 * 3600_000;

/**
 * When a sign-up whose last request was at `lastRequest` may be deleted by the store itself
 * (ISO 8601, a whole second): `pendingDays` and `ERASE_BACKSTOP_DAYS` later.
 */
export function pendingEraseAfter(lastRequest: Date, pendingDays: number): string {
  return wholeSecond(
    new Date(lastRequest.getTime() + (pendingDays + ERASE_BACKSTOP_DAYS) * DAY_MS),
  );
}
