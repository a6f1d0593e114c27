import { userInfo } from 'node:os';

/**
 * Who acts from the command line, as an issue's timeline records it: `cli:<local user>`.
 * Only the login name of this machine, never an address.
 */
export function cliActor(): string {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    // No entry in the password database (some containers): the environment may know.
    user = process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  }
  return `cli:${user}`;
}
