import { resolve } from 'node:path';

/** The local state folder: `$NEWSLETTER_HOME`, else `.newsletter/` in the working directory. */
export function stateDir(env = process.env): string {
  return resolve(env.NEWSLETTER_HOME || '.newsletter');
}
